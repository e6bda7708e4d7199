/** IOM's Human Trafficking Case Data Standard 2.0 (HTCDS by IOM, CC BY 4.0): the built-in mapping and row reader. */
export { HTCDS_2_MAPPING, HTCDS_MAPPING_NAME, HTCDS_SOURCES, builtinMapping } from './mapping.js';
export { HTCDS_ENVELOPE_COLUMNS, htcdsColumn, htcdsRowToRecord, isHtcdsFileColumn } from './row.js';
export { DROPPED as HTCDS_DROPPED, LABEL_ALIASES as HTCDS_LABEL_ALIASES } from './vocabulary.js';
