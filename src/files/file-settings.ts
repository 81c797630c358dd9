import { z } from 'zod';
import { commaList, integer, optionalText } from '../setting-values.js';
import { isKnownFileType, knownFileTypes, type FileType } from './file-types.js';

/** Settings of uploads, as a shape to spread into config.ts's settings schema. */
export const fileSettingsShape = {
  /** One upload's limit; the request is cut off there with 413 `too_large`. */
  MAX_FILE_BYTES: integer(20 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  /** Files go under this directory (content-addressed) instead of into the database. */
  FILES_DIR: optionalText,
  /** The allowed types, a comma-separated subset of knownFileTypes; unset: all of them. */
  FILE_TYPES: optionalText.transform((value, context): FileType[] => {
    if (value === undefined) return [...knownFileTypes];
    const types = commaList(value.toLowerCase());
    const unknown = types.find((type) => !isKnownFileType(type));
    if (unknown !== undefined || types.length === 0) {
      context.addIssue({ code: 'custom', message: `${unknown === undefined ? 'name at least one type' : `unknown type "${unknown}"`}; allowed: ${knownFileTypes.join(', ')}` });
      return z.NEVER;
    }
    return types.filter(isKnownFileType);
  }),
};

export const fileSettingsSchema = z.object(fileSettingsShape);
export type FileSettings = z.infer<typeof fileSettingsSchema>;
