/** FindCoordinator Response (Version: 2): the same layout as version 1. */
export {
  decodeFindCoordinatorResponseV1 as decodeFindCoordinatorResponseV2,
  encodeFindCoordinatorResponseV1 as encodeFindCoordinatorResponseV2,
  type FindCoordinatorResponseV1 as FindCoordinatorResponseV2,
} from '../v1/response.js';
