//! The session service: books training sessions. Before booking it asks the subscription
//! service whether the member may book (a critical call: no answer, no booking); after
//! booking it tells the communication service to notify the member (non-critical: fired and
//! forgotten, so a slow mailer never delays or fails a booking).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use communication_api::client::CommunicationServiceApi;
use communication_api::{NotificationCategory, NotificationPayload, SendNotificationRequest};
use session_api::server::SessionService;
use session_api::{
    CancelSessionRequest, CreateSessionRequest, ListSessionsQuery, RescheduleSessionRequest,
    Session, SessionList, SessionStatus,
};
use solo60_runtime::client::fire_and_forget;
use solo60_runtime::server::RequestContext;
use solo60_runtime::{AppError, ErrorKind, Uuid};
use subscription_api::client::SubscriptionServiceApi;
use subscription_api::CheckSubscriptionAccessRequest;

/// The session service over any subscription and communication clients (the generated
/// HTTP clients in production, their mocks in unit tests).
pub struct Sessions<S, C> {
    subscriptions: S,
    communication: C,
    booked: Arc<Mutex<HashMap<Uuid, Session>>>,
}

impl<S, C> Sessions<S, C> {
    pub fn new(subscriptions: S, communication: C) -> Self {
        Self {
            subscriptions,
            communication,
            booked: Arc::default(),
        }
    }
}

/// The feature a session type needs in the member's plan.
fn required_feature(request: &CreateSessionRequest) -> String {
    request.type_.as_str().to_owned()
}

fn ends_at(starts_at: &str, minutes: i32) -> Result<String, AppError> {
    let start = DateTime::parse_from_rfc3339(starts_at).map_err(|error| {
        AppError::new(
            ErrorKind::BadRequest,
            format!("`startsAt` is not a date-time: {error}"),
        )
    })?;
    let end = start.with_timezone(&Utc) + Duration::minutes(i64::from(minutes));
    Ok(end.to_rfc3339_opts(SecondsFormat::Secs, true))
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn not_implemented(operation: &str) -> AppError {
    AppError::new(
        ErrorKind::Internal,
        format!("`{operation}` is not part of this example"),
    )
    .with_code("NOT_IMPLEMENTED")
}

impl<S, C> SessionService for Sessions<S, C>
where
    S: SubscriptionServiceApi + 'static,
    C: CommunicationServiceApi + Clone + 'static,
{
    async fn create_session(
        &self,
        _context: RequestContext,
        request: CreateSessionRequest,
    ) -> Result<Session, AppError> {
        let access = self
            .subscriptions
            .check_access(
                &CheckSubscriptionAccessRequest::new(request.user_id)
                    .with_feature(required_feature(&request)),
            )
            .await?;
        if !access.has_access {
            let reason = access.reason.unwrap_or_else(|| "no_access".to_owned());
            return Err(AppError::new(
                ErrorKind::Forbidden,
                format!("the member's subscription does not allow this session: {reason}"),
            )
            .with_code("SUBSCRIPTION_REQUIRED"));
        }
        let stamp = now();
        let ends_at = ends_at(&request.starts_at, request.duration_minutes)?;
        let mut session = Session::new(
            Uuid::new_v4(),
            request.user_id,
            request.gym_id,
            request.trainer_id,
            request.type_,
            SessionStatus::Scheduled,
            request.starts_at,
            ends_at,
            request.duration_minutes,
            stamp.clone(),
            stamp,
        );
        session.area_id = request.area_id;
        session.notes = request.notes;
        if let Ok(mut booked) = self.booked.lock() {
            booked.insert(session.id, session.clone());
        }
        let communication = self.communication.clone();
        let notification = SendNotificationRequest::new(
            session.user_id,
            NotificationCategory::Booking,
            NotificationPayload::Push {
                title: "Session booked".to_owned(),
                body: format!("Your {} starts at {}.", session.type_, session.starts_at),
                deep_link: None,
                badge: None,
                data: None,
            },
        )
        .with_respect_quiet_hours(true);
        fire_and_forget("notify booking", async move {
            communication.send_notification(&notification).await
        });
        Ok(session)
    }

    async fn get_session(
        &self,
        _context: RequestContext,
        session_id: Uuid,
    ) -> Result<Session, AppError> {
        self.booked
            .lock()
            .ok()
            .and_then(|booked| booked.get(&session_id).cloned())
            .ok_or_else(|| {
                AppError::new(ErrorKind::NotFound, format!("no session {session_id}"))
                    .with_code("SESSION_NOT_FOUND")
            })
    }

    async fn cancel_session(
        &self,
        _context: RequestContext,
        _session_id: Uuid,
        _request: CancelSessionRequest,
    ) -> Result<Session, AppError> {
        Err(not_implemented("cancelSession"))
    }

    async fn list_sessions_for_user(
        &self,
        _context: RequestContext,
        _user_id: Uuid,
        _query: ListSessionsQuery,
    ) -> Result<SessionList, AppError> {
        Err(not_implemented("listSessionsForUser"))
    }

    async fn reschedule_session(
        &self,
        _context: RequestContext,
        _session_id: Uuid,
        _request: RescheduleSessionRequest,
    ) -> Result<Session, AppError> {
        Err(not_implemented("rescheduleSession"))
    }
}
