//! The small helpers generated clients use: bulk chunking, query structs, configuration from
//! the environment.

mod support;

use serde::Serialize;
use solo60_runtime::client::{
    dedup_chunks, ApiKey, Call, ClientConfig, ConfigError, ServiceClient,
};
use support::*;

#[test]
fn dedup_chunks_keeps_first_occurrences_and_bounds_chunks() {
    let ids = ["u3", "u1", "u3", "u2", "u1", "u4", "u5"];
    assert_eq!(
        dedup_chunks(ids, 2),
        vec![vec!["u3", "u1"], vec!["u2", "u4"], vec!["u5"]]
    );
    let many: Vec<u32> = (0..1000).chain(0..1000).collect();
    let chunks = dedup_chunks(many, 100);
    assert_eq!(chunks.len(), 10);
    assert!(chunks.iter().all(|chunk| chunk.len() == 100));
    assert_eq!(chunks.concat(), (0..1000).collect::<Vec<_>>());
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ListQuery {
    user_id: String,
    page_size: u32,
    include_archived: bool,
    statuses: Vec<&'static str>,
    cursor: Option<String>,
}

/// Its contract accepts every value the struct can hold.
impl solo60_runtime::Validate for ListQuery {
    fn validate_value(
        _: &serde_json::Value,
        _: &solo60_runtime::validation::Path<'_>,
        _: &mut solo60_runtime::ValidationErrors,
    ) {
    }
}

#[tokio::test(start_paused = true)]
async fn a_query_struct_arrives_as_pairs() {
    let server = TestServer::always(Reply::ok()).await;
    let client = client(config(&server));
    let query = ListQuery {
        user_id: "u 1".into(),
        page_size: 20,
        include_archived: false,
        statuses: vec!["active", "paused"],
        cursor: None,
    };
    let call = Call::new(&GET_PING, "/internal/pings/p1".into())
        .query_struct(&query)
        .unwrap();

    let _: Pong = client.call(call).await.unwrap();

    let target = &server.requests()[0].target;
    let (_, query) = target.split_once('?').unwrap();
    let mut pairs: Vec<_> = query.split('&').collect();
    pairs.sort();
    assert_eq!(
        pairs,
        [
            "includeArchived=false",
            "pageSize=20",
            "statuses=active",
            "statuses=paused",
            "userId=u+1",
        ]
    );
}

#[test]
fn configuration_comes_from_the_environment() {
    // The only test in this binary that touches the process environment.
    let vars = ["HELPERS_TEST_API_URL", "SERVICE_API_KEY", "SERVICE_NAME"];
    for var in vars {
        std::env::remove_var(var);
    }
    match ClientConfig::from_env("HELPERS_TEST_API_URL") {
        Err(ConfigError::MissingVar(name)) => assert_eq!(name, "HELPERS_TEST_API_URL"),
        other => panic!("{other:?}"),
    }
    std::env::set_var("HELPERS_TEST_API_URL", "http://subscription:8080");
    std::env::set_var("SERVICE_API_KEY", KEY);
    std::env::set_var("SERVICE_NAME", "session");

    let config = ClientConfig::from_env("HELPERS_TEST_API_URL").unwrap();

    assert_eq!(config.base_url.as_str(), "http://subscription:8080/");
    assert_eq!(config.api_key.expose(), KEY);
    assert_eq!(config.service_name, "session");
    let client = ServiceClient::new("subscription", config).unwrap();
    assert!(!format!("{client:?}").contains(KEY));
    for var in vars {
        std::env::remove_var(var);
    }
}

#[test]
fn an_unusable_configuration_is_refused_by_name() {
    let base = url::Url::parse("http://x").unwrap();
    let mut config = ClientConfig::new(base, ApiKey::new(KEY), "session");
    config.service_name = "bad name".into();
    let error = ServiceClient::new("x", config).unwrap_err();
    assert_eq!(
        error.to_string(),
        "client setting `service_name` is invalid: must be 1 to 64 characters of A-Z a-z 0-9 . _ -"
    );
}
