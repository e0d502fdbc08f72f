export { type AsPathRegex, compileAsPathRegex, MAX_CONVERTED_LENGTH } from './aspath-regex.js';
export {
  CommunityFilter,
  type CommunityPattern,
  communityPatternText,
  parseCommunityPattern,
} from './community-filter.js';
export { FilterError } from './filter-error.js';
export { FILTER_TYPES, FilterSet, type FilterType } from './filter-set.js';
export { parseFilterString } from './filter-string.js';
export { PrefixFilter, type PrefixFilterEntry, type PrefixSpecificity } from './prefix-filter.js';
