import { z } from 'zod'

/**
 * The generator's input: every operation of Amazon's SP-API models with the rate and burst of its
 * "Usage Plan" table. Either read from a JSON file of this shape or extracted from a clone of
 * amzn/selling-partner-api-models (extract-model-operations.ts).
 */
export const extractedOperationsSchema = z.object({
  /** Where the operations come from, named in the generated file's header. */
  source: z.string().min(1),
  operations: z.array(
    z.object({
      /** The model's directory without `-api-model`: `orders`, `reports`, … */
      api: z.string().min(1),
      /** The model's file name, e.g. `ordersV0.json`, `reports_2021-06-30.json`. */
      model: z.string().min(1),
      operationId: z.string().min(1),
      method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
      path: z.string().startsWith('/'),
      rate: z.number().positive().nullable(),
      burst: z.number().int().positive().nullable(),
    }),
  ),
})

export type ExtractedOperations = z.infer<typeof extractedOperationsSchema>
export type ExtractedOperation = ExtractedOperations['operations'][number]
