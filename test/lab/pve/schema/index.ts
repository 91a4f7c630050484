// PVE API schema validator: route resolution + parameter validation with PVE JSONSchema.pm semantics,
// driven by the official API dump vendored in ./data (see data/README.md).
export type {
  SchemaVersion,
  EndpointInfo,
  ResolvedRoute,
  ValidationResult,
  ValidateOptions,
  PveSchema,
  RecordedRequest,
} from './types';
export { loadSchema, loadEndpoints, schemaDir } from './load';
export { parsePropertyString, PropertyStringError } from './property-string';
export { checkFormat } from './check-format';
export { UNCHECKED_FORMATS, splitList } from './formats';
export { INDEX_COUNT } from './indexed';
export { validateRecordedRequest } from './recorded';
