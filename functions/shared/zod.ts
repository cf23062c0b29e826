/**
 * zod, configured once with its Swedish locale: schema messages are read by the project
 * leader who edits the catalogue and by whoever sets the configuration.
 */
import { z } from "zod";

z.config(z.locales.sv());

export { z };
