/** FindCoordinator Request (Version: 2): the same layout as version 1. Both clients send this version. */
export {
  decodeFindCoordinatorRequestV1 as decodeFindCoordinatorRequestV2,
  encodeFindCoordinatorRequestV1 as encodeFindCoordinatorRequestV2,
  type FindCoordinatorRequestV1 as FindCoordinatorRequestV2,
} from '../v1/request.js';
