/** MRT types and subtypes (RFC 6396, RFC 8050). */
export const MRT_BGP = 5; // deprecated, RFC 6396 appendix
export const MRT_TABLE_DUMP = 12;
export const MRT_TABLE_DUMP_V2 = 13;
export const MRT_BGP4MP = 16;
export const MRT_BGP4MP_ET = 17;
/** OSPFv2, ISIS, ISIS_ET, OSPFv3, OSPFv3_ET: routing data, not BGP; skipped and counted. */
export const MRT_NON_BGP_TYPES: readonly number[] = [11, 32, 33, 48, 49];
/** Deprecated types of RFC 6396 appendix B that hold no BGP routes (NULL, START, DIE, I_AM_DEAD, PEER_DOWN, RIP, IDRP, RIPNG). */
export const MRT_DEPRECATED_TYPES: readonly number[] = [0, 1, 2, 3, 4, 6, 7, 8, 9, 10];

export const TDV2_PEER_INDEX_TABLE = 1;
export const TDV2_RIB_IPV4_UNICAST = 2;
export const TDV2_RIB_IPV4_MULTICAST = 3;
export const TDV2_RIB_IPV6_UNICAST = 4;
export const TDV2_RIB_IPV6_MULTICAST = 5;
export const TDV2_RIB_GENERIC = 6;
export const TDV2_RIB_IPV4_UNICAST_ADDPATH = 8;
export const TDV2_RIB_IPV4_MULTICAST_ADDPATH = 9;
export const TDV2_RIB_IPV6_UNICAST_ADDPATH = 10;
export const TDV2_RIB_IPV6_MULTICAST_ADDPATH = 11;
export const TDV2_RIB_GENERIC_ADDPATH = 12;

export const BGP4MP_STATE_CHANGE = 0;
export const BGP4MP_MESSAGE = 1;
export const BGP4MP_ENTRY = 2;
export const BGP4MP_SNAPSHOT = 3;
export const BGP4MP_MESSAGE_AS4 = 4;
export const BGP4MP_STATE_CHANGE_AS4 = 5;
export const BGP4MP_MESSAGE_LOCAL = 6;
export const BGP4MP_MESSAGE_AS4_LOCAL = 7;
export const BGP4MP_MESSAGE_ADDPATH = 8;
export const BGP4MP_MESSAGE_AS4_ADDPATH = 9;
export const BGP4MP_MESSAGE_LOCAL_ADDPATH = 10;
export const BGP4MP_MESSAGE_AS4_LOCAL_ADDPATH = 11;

/** Deprecated type 5 (BGP) subtypes. */
export const BGP_NULL = 0;
export const BGP_UPDATE = 1;
export const BGP_PREF_UPDATE = 2;
export const BGP_STATE_CHANGE = 3;
export const BGP_SYNC = 4;
export const BGP_OPEN = 5;
export const BGP_NOTIFY = 6;
export const BGP_KEEPALIVE = 7;

/** The highest subtype each BGP type can have; anything else is not an MRT header. */
export function maxSubtype(type: number): number {
  switch (type) {
    case MRT_TABLE_DUMP:
      return 2;
    case MRT_TABLE_DUMP_V2:
      return 12;
    case MRT_BGP4MP:
    case MRT_BGP4MP_ET:
      return 11;
    case MRT_BGP:
      return 7;
    default:
      return MRT_NON_BGP_TYPES.includes(type) ? 0xffff : -1;
  }
}

/** True for subtypes whose NLRI carry path ids (RFC 8050). */
export function isAddPathSubtype(type: number, subtype: number): boolean {
  if (type === MRT_TABLE_DUMP_V2) return subtype >= 8 && subtype <= 12;
  if (type === MRT_BGP4MP || type === MRT_BGP4MP_ET) return subtype >= 8 && subtype <= 11;
  return false;
}
