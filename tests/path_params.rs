//! Path and query parameters are held to every constraint of their contract on both
//! sides: the generated router answers 422 before the handler runs, the generated client
//! refuses to send. The payment contract's `getPaymentByReceipt` (a `pattern`) and
//! `listPaymentsForMonth` (integer bounds) are the subjects.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use payment_api::client::PaymentServiceClient;
use payment_api::server::{router, PaymentService};
use payment_api::{
    CapturePaymentRequest, CreatePaymentIntentRequest, ListPaymentsQuery, Payment, PaymentList,
    Refund, RefundPaymentRequest,
};
use solo60_runtime::client::ApiKey;
use solo60_runtime::server::{RequestContext, ServiceAuth};
use solo60_runtime::testing::{InternalApiTestHelper, StubServer, TestResponse};
use solo60_runtime::{AppError, ErrorKind, Uuid};

const KEY: &str = "path-params-test-key";
const MEMBER: &str = "5f0c7a52-8d3e-4b1a-9c2f-3e4d5a6b7c8d";

/// Counts the calls that reach it and answers each with 404, so a 404 means "the handler
/// ran" and anything else means it did not.
#[derive(Clone, Default)]
struct Payments {
    handled: Arc<AtomicUsize>,
}

impl Payments {
    fn reached<T>(&self) -> Result<T, AppError> {
        self.handled.fetch_add(1, Ordering::SeqCst);
        Err(AppError::new(ErrorKind::NotFound, "no such payment"))
    }
}

impl PaymentService for Payments {
    async fn create_payment_intent(
        &self,
        _: RequestContext,
        _: CreatePaymentIntentRequest,
    ) -> Result<Payment, AppError> {
        self.reached()
    }

    async fn get_payment(&self, _: RequestContext, _: Uuid) -> Result<Payment, AppError> {
        self.reached()
    }

    async fn capture_payment(
        &self,
        _: RequestContext,
        _: Uuid,
        _: CapturePaymentRequest,
    ) -> Result<Payment, AppError> {
        self.reached()
    }

    async fn refund_payment(
        &self,
        _: RequestContext,
        _: Uuid,
        _: RefundPaymentRequest,
    ) -> Result<Refund, AppError> {
        self.reached()
    }

    async fn list_payments_for_user(
        &self,
        _: RequestContext,
        _: Uuid,
        _: ListPaymentsQuery,
    ) -> Result<PaymentList, AppError> {
        self.reached()
    }

    async fn get_payment_by_receipt(
        &self,
        _: RequestContext,
        _: String,
    ) -> Result<Payment, AppError> {
        self.reached()
    }

    async fn list_payments_for_month(
        &self,
        _: RequestContext,
        _: Uuid,
        _: i64,
        _: i64,
    ) -> Result<PaymentList, AppError> {
        self.reached()
    }
}

fn api(payments: &Payments) -> InternalApiTestHelper {
    let router = router(payments.clone(), ServiceAuth::new(ApiKey::new(KEY)));
    InternalApiTestHelper::new(ApiKey::new(KEY), router).as_caller("session")
}

/// `(pointer, keyword)` of every violation in a refusal.
fn violations(error: &AppError) -> Vec<(&str, &str)> {
    error
        .violations
        .iter()
        .map(|violation| (violation.pointer.as_str(), violation.keyword.as_str()))
        .collect()
}

async fn get<T>(payments: &Payments, path: &str) -> TestResponse<T>
where
    T: serde::de::DeserializeOwned + solo60_runtime::Validate,
{
    api(payments)
        .get(path)
        .await
        .expect("a request that can be sent")
}

#[tokio::test]
async fn a_path_parameter_breaking_its_pattern_is_a_422_before_the_handler() {
    let payments = Payments::default();
    for receipt in [
        "nope",
        "RC-7K2M9Q4",
        "rc-7k2m9q4x",
        "RC-7K2M9Q4X%2F..",
        "%20RC-7K2M9Q4X",
    ] {
        let answer: TestResponse<Payment> = get(
            &payments,
            &format!("/internal/payments/by-receipt/{receipt}"),
        )
        .await;
        assert_eq!(answer.status, 422, "{receipt}: {:?}", answer.body);
        let problem = answer.problem().expect("problem+json");
        assert_eq!(problem.code, "VALIDATION_FAILED", "{receipt}");
        let error = answer.body.expect_err("refused");
        assert_eq!(
            violations(&error),
            [("/receiptNumber", "pattern")],
            "{receipt}"
        );
    }
    assert_eq!(payments.handled.load(Ordering::SeqCst), 0, "no handler ran");

    let answer: TestResponse<Payment> =
        get(&payments, "/internal/payments/by-receipt/RC-7K2M9Q4X").await;
    assert_eq!(answer.status, 404, "a matching receipt reaches the handler");
    assert_eq!(payments.handled.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn integer_path_parameters_are_held_to_their_bounds_with_every_violation() {
    let payments = Payments::default();
    let month = |year: &str, month: &str| {
        format!("/internal/payments/by-user/{MEMBER}/months/{year}/{month}")
    };
    let answer: TestResponse<PaymentList> = get(&payments, &month("1999", "0")).await;
    assert_eq!(answer.status, 422, "{:?}", answer.body);
    let error = answer.body.expect_err("refused");
    assert_eq!(
        violations(&error),
        [("/year", "minimum"), ("/month", "minimum")],
        "both parameters, each with its keyword"
    );
    for (year, month_number, pointer, keyword) in [
        ("2101", "6", "/year", "maximum"),
        ("2026", "13", "/month", "maximum"),
    ] {
        let answer: TestResponse<PaymentList> = get(&payments, &month(year, month_number)).await;
        assert_eq!(answer.status, 422, "{year}-{month_number}");
        let error = answer.body.expect_err("refused");
        assert_eq!(violations(&error), [(pointer, keyword)]);
    }
    // Not an integer at all: the parse refuses it, as before, with a 400 naming it.
    let answer: TestResponse<PaymentList> = get(&payments, &month("2026", "june")).await;
    assert_eq!(answer.status, 400);
    let problem = answer.problem().expect("problem+json");
    assert_eq!(problem.code, "INVALID_PATH_PARAMETER");
    assert_eq!(payments.handled.load(Ordering::SeqCst), 0, "no handler ran");

    for (year, month_number) in [("2000", "1"), ("2100", "12")] {
        let answer: TestResponse<PaymentList> = get(&payments, &month(year, month_number)).await;
        assert_eq!(
            answer.status, 404,
            "the bounds are inclusive: {year}-{month_number}"
        );
    }
    assert_eq!(payments.handled.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn the_client_refuses_to_send_parameters_that_break_the_contract() {
    let stub = StubServer::start().await.expect("stub server");
    let client = PaymentServiceClient::new(stub.client_config()).expect("client");

    let error = client
        .get_payment_by_receipt("not a reference/../x")
        .await
        .expect_err("refused");
    assert_eq!(error.kind, ErrorKind::Validation);
    assert_eq!(error.code, "REQUEST_INVALID");
    assert_eq!(violations(&error), [("/receiptNumber", "pattern")]);
    assert!(
        error.message.contains("path parameters"),
        "{}",
        error.message
    );

    let member: Uuid = MEMBER.parse().expect("uuid");
    let error = client
        .list_payments_for_month(member, 2026, 13)
        .await
        .expect_err("refused");
    assert_eq!(violations(&error), [("/month", "maximum")]);

    // serde binds what validation refuses: the client must still check it.
    let query: ListPaymentsQuery = serde_json::from_str(r#"{"limit": 500}"#).expect("binds");
    let error = client
        .list_payments_for_user(member, &query)
        .await
        .expect_err("refused");
    assert_eq!(error.code, "REQUEST_INVALID");
    assert_eq!(violations(&error), [("/limit", "maximum")]);
    assert!(error.message.contains("query"), "{}", error.message);

    assert!(stub.requests().is_empty(), "nothing was sent");

    // Within the contract, each is sent as written.
    let answer = client.get_payment_by_receipt("RC-7K2M9Q4X").await;
    assert!(answer.is_err(), "the stub has no answer scripted");
    let requests = stub.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].path,
        "/internal/payments/by-receipt/RC-7K2M9Q4X"
    );
}
