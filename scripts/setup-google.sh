#!/usr/bin/env bash
# One-time setup of a Google Cloud project for the pipeline, as idempotent gcloud commands:
# running it twice changes nothing. With --dry-run it prints the plan (every command) and
# changes nothing at all.
#
#   scripts/setup-google.sh --project PROJEKT [--region europe-north1] [--scheduler-region europe-west1]
#                           [--bucket hp-historik-PROJEKT] [--build-account KONTO] [--dry-run]
#
# --build-account: the account Cloud Build runs as; by default the Compute Engine default
# account, which builds run as in projects made since 2024 (older projects: the legacy
# PROJEKTNUMMER@cloudbuild.gserviceaccount.com, or the account given to gcloud builds submit).
#
# What it does, in order:
#  1. enables the APIs the functions, the build and the sign-in use (IAM Credentials included,
#     for acting as the service account);
#  2. creates the runtime account hp-pipeline (the functions run as it, and Eventarc's triggers
#     call the scheduled functions as it) if it is missing;
#  3. grants Cloud Build's account the roles the build needs: deploy functions and set their
#     invokers, act as the runtime account, create the bucket, topics and scheduler jobs;
#  4. gives the runtime account what it needs at run time: receive Eventarc events, and
#     Pub/Sub's service agent the right to make tokens for the push to the functions;
#  5. creates the bucket (uniform access, in the region) and the three Pub/Sub topics;
#  6. checks that Cloud Scheduler exists in the scheduler region;
#  7. lets the runtime account read the mail server's password (the secret hp-smtp-password,
#     when it has been made; how to make it is printed otherwise). The password is never in a
#     file: printf %s 'LÖSENORD' | gcloud secrets create hp-smtp-password --data-file=-
# What a person must still decide is in README (Driftsättning): the shared drive and folder,
# the OAuth client and its consent screen, and who may sign in.
set -euo pipefail

project=""
region="europe-north1"
scheduler_region="europe-west1"
bucket=""
build_account=""
dry_run=0
while [ $# -gt 0 ]; do
  case "$1" in
    --project) project="$2"; shift 2 ;;
    --region) region="$2"; shift 2 ;;
    --scheduler-region) scheduler_region="$2"; shift 2 ;;
    --bucket) bucket="$2"; shift 2 ;;
    --build-account) build_account="$2"; shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "Okänd flagga: $1 (se --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$project" ]; then echo "Ange projektet: --project PROJEKT" >&2; exit 2; fi
bucket="${bucket:-hp-historik-$project}"
runtime="hp-pipeline@$project.iam.gserviceaccount.com"

# A command that changes something: printed, and run unless --dry-run.
change() {
  echo "+ $*"
  if [ "$dry_run" -eq 0 ]; then "$@"; fi
}
# A command that only looks: run in both modes (in a dry run only when gcloud can answer).
look() {
  if [ "$dry_run" -eq 1 ] && ! command -v gcloud >/dev/null 2>&1; then return 1; fi
  "$@" >/dev/null 2>&1
}

if [ "$dry_run" -eq 1 ]; then
  number="$(gcloud projects describe "$project" --format='value(projectNumber)' 2>/dev/null || echo PROJEKTNUMMER)"
else
  number="$(gcloud projects describe "$project" --format='value(projectNumber)')"
fi
build_accounts=("${build_account:-$number-compute@developer.gserviceaccount.com}")
pubsub_agent="service-$number@gcp-sa-pubsub.iam.gserviceaccount.com"

echo "# 1. API:er"
change gcloud services enable --project="$project" \
  cloudfunctions.googleapis.com run.googleapis.com cloudbuild.googleapis.com artifactregistry.googleapis.com \
  eventarc.googleapis.com pubsub.googleapis.com cloudscheduler.googleapis.com storage.googleapis.com \
  sheets.googleapis.com drive.googleapis.com iam.googleapis.com iamcredentials.googleapis.com \
  logging.googleapis.com secretmanager.googleapis.com

echo "# 2. Tjänstekontot som funktionerna kör som"
if ! look gcloud iam service-accounts describe "$runtime" --project="$project"; then
  change gcloud iam service-accounts create hp-pipeline --project="$project" --display-name="Uppföljning av handlingsplanen"
fi

echo "# 3. Roller för Cloud Builds konto"
for account in "${build_accounts[@]}"; do
  for role in roles/cloudfunctions.admin roles/run.admin roles/storage.admin roles/pubsub.editor \
    roles/cloudscheduler.admin roles/eventarc.admin roles/artifactregistry.writer roles/logging.logWriter \
    roles/secretmanager.viewer; do
    change gcloud projects add-iam-policy-binding "$project" --member="serviceAccount:$account" --role="$role" --condition=None --quiet
  done
  # To deploy functions that run as the runtime account.
  change gcloud iam service-accounts add-iam-policy-binding "$runtime" --project="$project" \
    --member="serviceAccount:$account" --role=roles/iam.serviceAccountUser --quiet
done

echo "# 4. Roller när funktionerna kör"
change gcloud projects add-iam-policy-binding "$project" --member="serviceAccount:$runtime" --role=roles/eventarc.eventReceiver --condition=None --quiet
change gcloud projects add-iam-policy-binding "$project" --member="serviceAccount:$pubsub_agent" --role=roles/iam.serviceAccountTokenCreator --condition=None --quiet

echo "# 5. Hinken och ämnena"
if ! look gcloud storage buckets describe "gs://$bucket" --project="$project"; then
  change gcloud storage buckets create "gs://$bucket" --project="$project" --location="$region" --uniform-bucket-level-access --public-access-prevention
fi
change gcloud storage buckets add-iam-policy-binding "gs://$bucket" --member="serviceAccount:$runtime" --role=roles/storage.objectAdmin --quiet
for topic in hp-validate hp-report hp-remind; do
  if ! look gcloud pubsub topics describe "$topic" --project="$project"; then
    change gcloud pubsub topics create "$topic" --project="$project"
  fi
done

echo "# 6. Cloud Scheduler i $scheduler_region"
if [ "$dry_run" -eq 1 ]; then
  echo "+ gcloud scheduler locations list --project=$project --format=value(locationId) | grep -qx $scheduler_region"
elif ! gcloud scheduler locations list --project="$project" --format='value(locationId)' | grep -qx "$scheduler_region"; then
  echo "Cloud Scheduler finns inte i $scheduler_region. Välj en region ur 'gcloud scheduler locations list' med --scheduler-region och samma _SCHEDULER_REGION i bygget." >&2
  exit 1
fi

echo "# 7. Lösenordet till e-postservern (påminnelser)"
if look gcloud secrets describe hp-smtp-password --project="$project"; then
  change gcloud secrets add-iam-policy-binding hp-smtp-password --project="$project" \
    --member="serviceAccount:$runtime" --role=roles/secretmanager.secretAccessor --quiet
else
  echo "Hemligheten hp-smtp-password finns inte. Behöver e-postservern ett lösenord, skapa den och kör skriptet igen:"
  echo "  printf %s 'LÖSENORD' | gcloud secrets create hp-smtp-password --project=$project --data-file=-"
fi

echo
echo "Klart. Bygg och driftsätt sedan med cloudbuild.yaml (README, Driftsättning), med"
echo "  _SERVICE_ACCOUNT=$runtime"
echo "  _BUCKET=$bucket"
echo "  _REGION=$region"
echo "  _SCHEDULER_REGION=$scheduler_region"
