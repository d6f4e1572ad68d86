// Written once by `solo60-gen scaffold gym` from schemas/gym; yours to edit.

use gym_api::server::GymService;
use gym_api::{Area, AreaTree, CheckIn, CheckInRequest, Gym, GymCapacity, GymList, ListGymsQuery};
use solo60_runtime::server::RequestContext;
use solo60_runtime::Uuid;
use solo60_runtime::{AppError, ErrorKind};

/// The `gym` service. Written once by `solo60-gen scaffold gym`: edit it freely, it is
/// never regenerated.
#[derive(Debug, Clone, Default)]
pub struct GymServiceImpl;

impl GymService for GymServiceImpl {
    /// Fetch one gym by id.
    async fn get_gym(&self, _context: RequestContext, _gym_id: Uuid) -> Result<Gym, AppError> {
        Err(not_implemented("getGym"))
    }

    /// List gyms, filtered by place, status or amenities.
    async fn list_gyms(
        &self,
        _context: RequestContext,
        _query: ListGymsQuery,
    ) -> Result<GymList, AppError> {
        Err(not_implemented("listGyms"))
    }

    /// How full a gym is right now.
    async fn get_gym_capacity(
        &self,
        _context: RequestContext,
        _gym_id: Uuid,
    ) -> Result<GymCapacity, AppError> {
        Err(not_implemented("getGymCapacity"))
    }

    /// Record a member entering a gym.
    async fn check_in(
        &self,
        _context: RequestContext,
        _gym_id: Uuid,
        _request: CheckInRequest,
    ) -> Result<CheckIn, AppError> {
        Err(not_implemented("checkIn"))
    }

    /// Record a member leaving a gym.
    async fn check_out(
        &self,
        _context: RequestContext,
        _gym_id: Uuid,
        _check_in_id: Uuid,
    ) -> Result<CheckIn, AppError> {
        Err(not_implemented("checkOut"))
    }

    /// Every area of a gym, nested.
    async fn get_area_tree(
        &self,
        _context: RequestContext,
        _gym_id: Uuid,
    ) -> Result<AreaTree, AppError> {
        Err(not_implemented("getAreaTree"))
    }

    /// One area of a gym with the areas inside it.
    async fn get_area(
        &self,
        _context: RequestContext,
        _gym_id: Uuid,
        _area_id: Uuid,
    ) -> Result<Area, AppError> {
        Err(not_implemented("getArea"))
    }
}

/// What every operation answers until it is written: a 500 with code `NOT_IMPLEMENTED`.
fn not_implemented(operation: &str) -> AppError {
    let message = format!("`{operation}` is not implemented yet");
    AppError::new(ErrorKind::Internal, message).with_code("NOT_IMPLEMENTED")
}
