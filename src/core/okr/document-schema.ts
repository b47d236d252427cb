import { z } from 'zod';
import { OkrSetDocument } from './document.js';

/** The published JSON Schema of OKR set documents (docs/schemas/okr-set.schema.json). */
export function okrSetJsonSchema(): unknown {
  return {
    ...z.toJSONSchema(OkrSetDocument, { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://attain.dev/schemas/okr-set.schema.json',
    title: 'Attain OKR set',
    description: 'A cycle’s objectives and key results, with check-in values. Scored by `attain okr score FILE`.',
  };
}
