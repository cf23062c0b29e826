/**
 * The identity a template records about itself on its hidden tab: plan, year, template
 * version. A file for another year, or a workbook that is not ours, is recognised by it.
 */

export interface TemplateMeta {
  plan: string;
  year: number;
  templateVersion: number;
  catalogueVersion: string;
  /** "alla", or the one unit id the template was made for. */
  scope: string;
}

/** The labels in column A of the hidden tab, by field. */
export const META_KEYS: Record<keyof TemplateMeta, string> = {
  plan: "plan",
  year: "år",
  templateVersion: "mallversion",
  catalogueVersion: "katalogversion",
  scope: "enheter",
};
