/**
 * The deployment as an ops person runs it: the one-time setup script's plan, and the build's
 * own steps run by bash as Cloud Build would (substitutions filled in, $$ as $), with a
 * recording stand-in for gcloud on PATH, so that what they would ask Google for can be read.
 */
import { execFile } from "node:child_process";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT, tempDir } from "./helpers.js";

const run = promisify(execFile);
const build = parse(await readFile(join(ROOT, "cloudbuild.yaml"), "utf8")) as {
  substitutions: Record<string, string>;
  steps: { id: string; args: string[]; waitFor?: string[] }[];
};

/** Runs a build step's bash script with these substitutions; returns the gcloud calls it made. */
async function runStep(id: string, substitutions: Record<string, string>, answers = ""): Promise<string[]> {
  const step = build.steps.find((s) => s.id === id)!;
  const values: Record<string, string> = { ...build.substitutions, PROJECT_ID: "hp-prov", ...substitutions };
  const script = step.args.at(-1)!.replace(/\$\{(\w+)\}/g, (_, name: string) => values[name] ?? "").replace(/\$\$/g, "$");
  const dir = await tempDir();
  const calls = join(dir, "calls.txt");
  // gcloud, recorded: each call on a line; `locations list` answers with the regions given.
  await writeFile(join(dir, "gcloud"), `#!/usr/bin/env bash\necho "$*" >> "${calls}"\ncase "$*" in *"locations list"*) printf '${answers}' ;; esac\n`);
  await chmod(join(dir, "gcloud"), 0o755);
  await run("bash", ["-c", script], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } }).catch((error: { stderr?: string }) => {
    throw new Error(`steget ${id} misslyckades: ${error.stderr}`);
  });
  return (await readFile(calls, "utf8").catch(() => "")).split("\n").filter(Boolean);
}

describe("the build", () => {
  it("binds each allowed address as what it is, and the trigger account as invoker of the scheduled functions", async () => {
    const calls = await runStep("invokers", {
      _ALLOWED_EMAILS: "projektledare@stad.example,system@hp-prov.iam.gserviceaccount.com,group:hp-ledning@stad.example",
      _SERVICE_ACCOUNT: "hp-pipeline@hp-prov.iam.gserviceaccount.com",
    });
    expect(calls).toContain("functions add-invoker-policy-binding runOnDemand --region=europe-north1 --member=user:projektledare@stad.example");
    expect(calls).toContain("functions add-invoker-policy-binding checkFile --region=europe-north1 --member=serviceAccount:system@hp-prov.iam.gserviceaccount.com");
    expect(calls).toContain("functions add-invoker-policy-binding runOnDemand --region=europe-north1 --member=group:hp-ledning@stad.example");
    for (const f of ["validateScheduled", "reportScheduled", "remindScheduled"]) {
      expect(calls).toContain(`functions add-invoker-policy-binding ${f} --region=europe-north1 --member=serviceAccount:hp-pipeline@hp-prov.iam.gserviceaccount.com`);
    }
  });

  it("deploys the page without an allUsers binding, turning off only the invoker check when it signs in with Google", async () => {
    const withSignIn = await runStep("deploy-runOnDemand", { _OAUTH_CLIENT_ID: "123-hp.apps.googleusercontent.com", _ALLOWED_EMAILS: "a@stad.example,b@stad.example" });
    expect(withSignIn.join("\n")).not.toMatch(/(^| )--allow-unauthenticated/);
    const deploy = withSignIn.find((c) => c.startsWith("functions deploy runOnDemand"))!;
    expect(deploy).toContain("--no-allow-unauthenticated");
    expect(deploy).toContain("HP_ALLOWED_EMAILS=a@stad.example,b@stad.example;");
    expect(deploy).toContain("HP_OAUTH_CLIENT_ID=123-hp.apps.googleusercontent.com;");
    expect(withSignIn).toContain("run services update runondemand --region=europe-north1 --no-invoker-iam-check");
    const closed = await runStep("deploy-runOnDemand", { _OAUTH_CLIENT_ID: "" });
    expect(closed.some((c) => c.includes("no-invoker-iam-check"))).toBe(false);
    // The page's sign-in client is no audience of the API's bearer tokens.
    expect(deploy).toMatch(/HP_AUDIENCE=https:\/\/europe-north1-hp-prov\.cloudfunctions\.net\/runOnDemand,32555940559\.apps\.googleusercontent\.com;/);
  });

  it("deploys the reminders with the SMTP password from Secret Manager only when the secret exists, and schedules them", async () => {
    const withSecret = await runStep("deploy-remindScheduled", { _SMTP_URL: "smtp://relay.stad.example:587", _MAIL_FROM: "uppfoljning@stad.example" });
    const deploy = withSecret.find((c) => c.startsWith("functions deploy remindScheduled"))!;
    expect(deploy).toContain("--trigger-topic=hp-remind");
    expect(deploy).toContain("HP_SMTP_URL=smtp://relay.stad.example:587;HP_MAIL_FROM=uppfoljning@stad.example");
    // The recording gcloud answers every describe with success: the secret "exists".
    expect(deploy).toContain("--set-secrets=HP_SMTP_PASSWORD=hp-smtp-password:latest");
    expect(deploy).not.toMatch(/HP_SMTP_PASSWORD=[^h]/);
    const page = await runStep("deploy-runOnDemand", { _SMTP_URL: "smtp://relay.stad.example:587" });
    expect(page.find((c) => c.startsWith("functions deploy runOnDemand"))).toContain("--set-secrets=HP_SMTP_PASSWORD=hp-smtp-password:latest");
    const jobs = await runStep("schedule", {});
    expect(jobs.some((c) => c.includes("hp-remind-daily") && c.includes("--schedule=0 8 * * *") && c.includes("--topic=hp-remind"))).toBe(true);
  });

  it("stops before deploying anything when Cloud Scheduler is not in its region", async () => {
    expect(build.steps.find((s) => s.id === "bucket")!.waitFor).toContain("scheduler-region");
    await expect(runStep("scheduler-region", {}, "europe-west1\\neurope-west3\\n")).resolves.toEqual(["scheduler locations list --format=value(locationId)"]);
    await expect(runStep("scheduler-region", { _SCHEDULER_REGION: "europe-north1" }, "europe-west1\\n")).rejects.toThrow(/Cloud Scheduler finns inte i europe-north1/);
    const jobs = await runStep("schedule", {});
    expect(jobs.every((c) => c.includes("--location=europe-west1"))).toBe(true);
  });
});

describe("the one-time setup", () => {
  it("plans every API, account, role, the bucket, the topics and the scheduler check, and changes nothing in a dry run", async () => {
    const { stdout } = await run("bash", [join(ROOT, "scripts", "setup-google.sh"), "--project", "hp-prov", "--dry-run", "--build-account", "bygg@hp-prov.iam.gserviceaccount.com"], {
      env: { ...process.env, PATH: "/usr/bin:/bin" },
    });
    for (const api of ["cloudfunctions", "run", "cloudbuild", "eventarc", "pubsub", "cloudscheduler", "storage", "sheets", "drive", "iamcredentials"]) {
      expect(stdout).toContain(`${api}.googleapis.com`);
    }
    for (const role of ["cloudfunctions.admin", "run.admin", "storage.admin", "pubsub.editor", "cloudscheduler.admin", "eventarc.admin"]) {
      expect(stdout).toContain(`--member=serviceAccount:bygg@hp-prov.iam.gserviceaccount.com --role=roles/${role}`);
    }
    expect(stdout).toContain("hp-pipeline@hp-prov.iam.gserviceaccount.com --project=hp-prov --member=serviceAccount:bygg@hp-prov.iam.gserviceaccount.com --role=roles/iam.serviceAccountUser");
    expect(stdout).toContain("--role=roles/eventarc.eventReceiver");
    expect(stdout).toContain("gcloud storage buckets create gs://hp-historik-hp-prov");
    expect(stdout).toContain("gcloud pubsub topics create hp-validate");
    expect(stdout).toContain("gcloud pubsub topics create hp-remind");
    expect(stdout).toContain("secretmanager.googleapis.com");
    expect(stdout).toContain("gcloud scheduler locations list");
  });
});
