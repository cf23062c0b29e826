/**
 * The one wiring root. Both edges – the hp command and the Cloud Functions – call openYear
 * with the configuration, and get everything a run for a year needs, built from it in one
 * place: the catalogue for the year (the given folder, else the one published to the bucket,
 * else the bundled one), the register of opened years, the template definition, history (the bundled file with
 * the store's years in place of its own), the history store, the year lock, the submission
 * source, the report sink and the PDF printer. The Google adapters are loaded only when the
 * configuration asks for Google.
 */
import { join, resolve } from "node:path";
import type { Bucket } from "@google-cloud/storage";
import { catalogueForYear, type YearCatalogue } from "../catalogue/catalogue-for-year.js";
import { loadCatalogue } from "../catalogue/load-catalogue.js";
import { readPublishedCatalogue } from "../catalogue/published-catalogue.js";
import type { Catalogue } from "../catalogue/schema.js";
import type { GoogleClients } from "../google/clients.js";
import { GcsHistoryStore } from "../history/gcs-store.js";
import { History, readHistoryCsv } from "../history/history.js";
import { LocalHistoryStore } from "../history/local-store.js";
import { CENTRAL } from "../template/layout.js";
import { combinedHistory, type HistoryStore } from "../history/store.js";
import { GcsRunLog, LocalRunLog, type RunLog } from "../history/run-log.js";
import { BucketContacts, type ContactsSource, FolderContacts } from "../reminders/contacts.js";
import { GcsReminderLog, LocalReminderLog, type ReminderLog } from "../reminders/reminder-log.js";
import { GcsImportStore, type ImportStore, LocalImportStore } from "../imports/import-store.js";
import { GcsYearRegister, LocalYearRegister, type YearRegister } from "../history/year-register.js";
import { localYearLock } from "../lock/file-year-lock.js";
import { gcsYearLock } from "../lock/gcs-year-lock.js";
import type { LockOptions, YearLock } from "../lock/year-lock.js";
import { FolderSink } from "../output/folder-sink.js";
import type { ReportSink } from "../output/report-sink.js";
import { launchChromium, type PdfPrinter } from "../render/pdf-printer.js";
import { gcsBucket } from "../shared/gcs-bucket.js";
import { HpError } from "../shared/errors.js";
import { displayPath } from "../shared/paths.js";
import { type OfficialsText, readOfficialsMarkdown } from "../report/officials-text.js";
import { limitsFor } from "../workbook/inspect-file.js";
import { type SubmissionSource, XlsxFileSource } from "../submission/source.js";
import { type TemplateDefinition, templateDefinition } from "../template/definition.js";
import type { Config } from "./config.js";

/** What does not depend on the year: catalogue, history, store and lock. */
export interface Opened {
  config: Config;
  catalogue: Catalogue;
  /** Where the catalogue was read from, as a person should read it. */
  catalogueLocation: string;
  /** The opened years and their spreadsheets. */
  register: YearRegister;
  /** The functions' runs, for the project leader's page. */
  runLog: RunLog;
  /** Every reminder sent or refused. */
  reminderLog: ReminderLog;
  /** The contacts reminders go to, per year. */
  contacts: ContactsSource;
  definition: TemplateDefinition;
  /** The bundled baseline with every stored year in place of the baseline's. */
  history: History;
  store: HistoryStore;
  /** The imports from the systems that hold the figures (hp import), kept with the history. */
  imports: ImportStore;
  /** Where the store is, as a person should read it. */
  storeLocation: string;
  lock: YearLock;
  /** Google's clients, made on first use (Application Default Credentials, or the configured token). */
  google(): Promise<GoogleClients>;
  launchPrinter(): Promise<PdfPrinter>;
}

/** A year opened for a run. */
export interface OpenedYear extends Opened {
  year: number;
  yc: YearCatalogue;
  /** The year-over-year share above which a change is asked about. */
  maxChange: number;
  now: Date;
  /** The submissions: the given paths, else the Google spreadsheet or the configured input folder. */
  source(paths?: string[]): Promise<SubmissionSource>;
  /** The reports: the given folder, else Drive or the configured output folder. */
  sink(outDir?: string): Promise<ReportSink>;
  /** The officials' text: the given file, else the spreadsheet's Rapporttext tab (Google) or the year's file. */
  officialsText(file?: string): Promise<OfficialsText>;
}

/** The catalogue in force: the given folder, else the one published to the bucket, else the bundled one. */
export async function catalogueInForce(config: Config): Promise<{ catalogue: Catalogue; location: string }> {
  if (!config.catalogueGiven && config.bucket) {
    const published = await readPublishedCatalogue(await gcsBucket(config.bucket, config.storageEndpoint));
    if (published) return { catalogue: published.catalogue, location: published.where };
  }
  return { catalogue: await loadCatalogue(config.catalogueDir), location: displayPath(config.catalogueDir) };
}

/** The register of opened years: in the bucket when there is one, else in the history folder. */
export async function yearRegisterFor(config: Config): Promise<YearRegister> {
  return registerIn(config.bucket ? await gcsBucket(config.bucket, config.storageEndpoint) : undefined, config);
}

const registerIn = (bucket: Bucket | undefined, config: Config): YearRegister =>
  bucket ? new GcsYearRegister(bucket) : new LocalYearRegister(config.historyDir);

type Loaded = Awaited<ReturnType<typeof catalogueInForce>>;

/** Opens what a run needs but the year; `loaded` is the catalogue when the caller has read it already. */
export async function openCatalogue(config: Config, loaded?: Loaded): Promise<Opened> {
  const { catalogue, location } = loaded ?? (await catalogueInForce(config));
  const bucket = config.bucket ? await gcsBucket(config.bucket, config.storageEndpoint) : undefined;
  const store: HistoryStore = bucket ? new GcsHistoryStore(bucket) : new LocalHistoryStore(config.historyDir);
  const lock = await yearLockFor(config);
  const baseline = config.historyFile ? await readHistoryCsv(config.historyFile, displayPath(config.historyFile)) : History.empty();
  const central = new Set(catalogue.indicators.filter((i) => i.reportedBy === "central").map((i) => i.id));
  const history = await combinedHistory(baseline, store, (r) => (central.has(r.indicator) ? CENTRAL : r.unit));
  let clients: Promise<GoogleClients> | undefined;
  return {
    config,
    catalogue,
    catalogueLocation: location,
    register: registerIn(bucket, config),
    runLog: bucket ? new GcsRunLog(bucket) : new LocalRunLog(config.historyDir),
    reminderLog: bucket ? new GcsReminderLog(bucket) : new LocalReminderLog(config.historyDir),
    // The functions read the contacts from the bucket; the CLI from the folder, where the project leader edits them.
    contacts: bucket && config.inCloud ? new BucketContacts(bucket) : new FolderContacts(config.contactsDir, displayPath(config.contactsDir)),
    definition: templateDefinition(),
    history,
    store,
    imports: bucket ? new GcsImportStore(bucket) : new LocalImportStore(config.historyDir),
    storeLocation: config.bucket ? `gs://${config.bucket}/historik` : displayPath(config.historyDir),
    lock,
    google: () => {
      clients ??= openGoogle(config);
      return clients;
    },
    launchPrinter: () => launchChromium({ executablePath: config.chromiumPath }),
  };
}

/** The year lock: an object in the bucket when there is one, else a file in the history folder. */
export async function yearLockFor(config: Config): Promise<YearLock> {
  return config.bucket ? gcsYearLock(await gcsBucket(config.bucket, config.storageEndpoint)) : localYearLock(config.historyDir);
}

/** The year a run is for: the given one, else HP_YEAR, else the latest opened year. */
const yearOf = (config: Config, catalogue: Catalogue, year?: number) =>
  year ?? config.year ?? Math.max(...catalogue.reportingYears.map((r) => r.year));

/**
 * Opens a year holding its lock, for every entry that writes: the lock is taken first and
 * everything – history, submissions – is read after it, so what the run read is still what
 * it replaces when it writes.
 */
export async function withOpenYear<T>(
  config: Config,
  year: number | undefined,
  owner: string,
  work: (opened: OpenedYear) => Promise<T>,
  options?: LockOptions,
): Promise<T> {
  const loaded = await catalogueInForce(config);
  const y = yearOf(config, loaded.catalogue, year);
  return (await yearLockFor(config)).withLock(y, owner, async () => work(await openYear(config, y, loaded)), options);
}

/** Opens a year: the given one, else HP_YEAR, else the latest opened year. */
export async function openYear(config: Config, year?: number, loaded?: Loaded): Promise<OpenedYear> {
  const opened = await openCatalogue(config, loaded);
  const y = yearOf(config, opened.catalogue, year);
  const yc = catalogueForYear(opened.catalogue, y);
  const google = config.backend === "google";
  return {
    ...opened,
    year: y,
    yc,
    maxChange: opened.catalogue.yearOverYearWarningShare,
    now: config.now(),
    async source(paths) {
      // How much a workbook may hold is the catalogue's: a bigger one is refused before loading.
      const limits = limitsFor(opened.catalogue.workbookLimits);
      if (paths) return new XlsxFileSource(paths, process.cwd(), limits);
      if (!google) return new XlsxFileSource([config.inputDir], "/", limits);
      const { GoogleSheetsSource } = await import("../google/sheets-source.js");
      return new GoogleSheetsSource(
        await opened.google(),
        (await spreadsheetOf(opened.register, config, y)) ?? noSpreadsheet(opened, y),
        opened.definition.sheets.status,
        config.now,
        { year: y, metaSheet: opened.definition.sheets.meta },
      );
    },
    async officialsText(file) {
      if (file) return readOfficialsMarkdown(resolve(file), displayPath(file), yc.indicators, { required: true });
      if (google) {
        const { readTextTab } = await import("../google/text-tab.js");
        const spreadsheet = await spreadsheetOf(opened.register, config, y);
        if (spreadsheet) return readTextTab(await opened.google(), spreadsheet, opened.definition.sheets.text, yc.indicators);
      }
      const path = join(config.textDir, `${y}.md`);
      return readOfficialsMarkdown(path, displayPath(path), yc.indicators, { required: false });
    },
    async sink(outDir) {
      if (outDir) return new FolderSink(outDir);
      if (!google) return new FolderSink(config.outDir);
      const { DriveSink } = await import("../google/drive-sink.js");
      return new DriveSink(await opened.google(), required(config.google.driveFolderId, "HP_DRIVE_FOLDER_ID"), config.google.reportReaders);
    },
  };
}

/**
 * The year's spreadsheet: the one recorded when the year was opened, else HP_SPREADSHEET_ID (a
 * deployment from before the register; the source refuses it if it was made for another year).
 */
export async function spreadsheetOf(register: YearRegister, config: Config, year: number): Promise<string | undefined> {
  return (await register.get(year))?.spreadsheetId ?? config.google.spreadsheetId;
}

function noSpreadsheet(opened: Opened, year: number): never {
  throw new HpError("usage", `${year} har inget kalkylark. Öppna året med hp year open ${year} (registret: ${opened.register.location}).`);
}

function required(value: string | undefined, variable: string): string {
  if (!value) throw new HpError("usage", `${variable} behövs med HP_BACKEND=google.`);
  return value;
}

/** Google's clients: Application Default Credentials, or the configured token. */
export async function openGoogle(config: Config): Promise<GoogleClients> {
  const { googleClients } = await import("../google/clients.js");
  let auth: import("google-auth-library").OAuth2Client | undefined;
  if (config.google.accessToken) {
    // A fixed access token, e.g. from gcloud auth print-access-token.
    const { OAuth2Client } = await import("google-auth-library");
    auth = new OAuth2Client();
    auth.setCredentials({ access_token: config.google.accessToken, expiry_date: Date.now() + 3_600_000 });
  }
  return googleClients({ rootUrl: config.google.apiRoot, auth, identity: config.google.serviceAccount });
}
