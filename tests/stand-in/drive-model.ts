/**
 * Drive as the stand-in models it: who owns a file and who may see, change and share it. The
 * rules that stop a first real deployment are here, as Drive applies them:
 * - a service account has no storage quota, so it cannot own a file: creating one anywhere but
 *   in a shared drive fails with 403 storageQuotaExceeded;
 * - a file in a shared drive is invisible to a call that does not say supportsAllDrives;
 * - a file has one parent: adding a second fails with 403 cannotAddParent;
 * - sharing outside the allowed domains fails (shareOutNotPermitted), and sharing with an
 *   address that has no Google account needs the notification e-mail (invalidSharingRequest).
 */
export const SPREADSHEET_TYPE = "application/vnd.google-apps.spreadsheet";
export const FOLDER_TYPE = "application/vnd.google-apps.folder";

/** The service account the functions run as, in the stand-in. */
export const SERVICE_ACCOUNT = "hp-funktioner@hp-projekt.iam.gserviceaccount.com";

/** A shared drive member's role, and a file permission's. */
export type DriveRole = "organizer" | "fileOrganizer" | "writer" | "commenter" | "reader";

export interface Permission {
  id: string;
  emailAddress: string;
  role: DriveRole | "owner";
  type: "user";
}

export interface DriveFile {
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  /** The shared drive the file is in; undefined in someone's My Drive. */
  driveId?: string | undefined;
  /** The owner, for a file in a My Drive (a person: a service account cannot own files). */
  owner?: string | undefined;
  content: Buffer;
  revisions: number;
  permissions: Permission[];
  trashed?: boolean;
  appProperties?: Record<string, string>;
}

/** A refusal as Drive gives it: status, reason and message. */
export class DriveRefusal extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

const WRITE: ReadonlySet<string> = new Set(["owner", "organizer", "fileOrganizer", "writer"]);
const notFound = (id: string) => new DriveRefusal(404, "notFound", `File not found: ${id}.`);

export class DriveModel {
  readonly files = new Map<string, DriveFile>();
  readonly drives = new Map<string, { name: string; members: Map<string, DriveRole> }>();
  /** Addresses without a Google account: sharing with them needs the notification e-mail. */
  readonly withoutGoogleAccount = new Set<string>();
  /** When set, sharing with an address outside these domains is refused, as a domain policy does. */
  allowedDomains: string[] | undefined;
  private next = 1;

  isServiceAccount(email: string): boolean {
    return email.endsWith(".gserviceaccount.com");
  }

  /** A shared drive with these members, and a folder in it; returns the folder's id. */
  sharedDrive(name: string, members: Record<string, DriveRole>): { driveId: string; folderId: string } {
    const driveId = `drive-${this.next++}`;
    this.drives.set(driveId, { name, members: new Map(Object.entries(members)) });
    const folderId = this.add({ name, mimeType: FOLDER_TYPE, parents: [driveId], driveId }).id;
    return { driveId, folderId };
  }

  /** A folder in a person's My Drive; returns its id. */
  myDriveFolder(owner: string, name: string): string {
    return this.add({ name, mimeType: FOLDER_TYPE, parents: [`root-${owner}`], owner }).id;
  }

  /** What the caller may do with a file: its role, or undefined when the file is not theirs to see. */
  roleOf(caller: string, file: DriveFile): string | undefined {
    if (file.driveId) {
      const member = this.drives.get(file.driveId)?.members.get(caller);
      if (member) return member;
    } else if (file.owner === caller) {
      return "owner";
    }
    const own = file.permissions.find((p) => p.emailAddress === caller)?.role;
    if (own) return own;
    const parent = file.parents.map((p) => this.files.get(p)).find((p) => p !== undefined);
    return parent ? this.roleOf(caller, parent) : undefined;
  }

  /** Whether the caller may change the file (and share it). */
  canWrite(caller: string, file: DriveFile): boolean {
    return WRITE.has(this.roleOf(caller, file) ?? "");
  }

  private mustWrite(caller: string, file: DriveFile): void {
    if (!this.canWrite(caller, file)) {
      throw new DriveRefusal(403, "insufficientFilePermissions", "The user does not have sufficient permissions for this file.");
    }
  }

  /** The file as the caller may see it; 404 as Drive answers when not. */
  get(caller: string, id: string, allDrives: boolean): DriveFile {
    const file = this.files.get(id);
    if (!file || !this.roleOf(caller, file) || (file.driveId && !allDrives)) throw notFound(id);
    return file;
  }

  /** A new file (or folder, or spreadsheet) by the caller, in its parent or the caller's My Drive. */
  create(
    caller: string,
    meta: { name?: string; mimeType?: string; parents?: string[]; appProperties?: Record<string, string> },
    content: Buffer,
    allDrives: boolean,
  ): DriveFile {
    const parents = meta.parents ?? [];
    if (parents.length > 1) throw new DriveRefusal(403, "cannotAddParent", "Increasing the number of parents is not allowed.");
    const parent = parents[0] === undefined ? undefined : this.get(caller, parents[0], allDrives);
    if (parent) this.mustWrite(caller, parent);
    const driveId = parent?.driveId;
    if (!driveId && this.isServiceAccount(caller)) {
      throw new DriveRefusal(403, "storageQuotaExceeded", "The user's Drive storage quota has been exceeded.");
    }
    return this.add({
      name: meta.name ?? "Namnlös",
      mimeType: meta.mimeType ?? "application/octet-stream",
      parents: parent ? [parent.id] : [`root-${caller}`],
      driveId,
      owner: driveId ? undefined : caller,
      content,
      ...(meta.appProperties ? { appProperties: meta.appProperties } : {}),
    });
  }

  /** Changes a file: content, properties, trash, parents (one parent only). */
  update(
    caller: string,
    id: string,
    change: { addParents?: string | null; removeParents?: string | null; trashed?: boolean; appProperties?: Record<string, string>; content?: Buffer },
    allDrives: boolean,
  ): DriveFile {
    const file = this.get(caller, id, allDrives);
    this.mustWrite(caller, file);
    const add = change.addParents ? change.addParents.split(",") : [];
    const remove = new Set(change.removeParents ? change.removeParents.split(",") : []);
    const parents = [...file.parents.filter((p) => !remove.has(p)), ...add.filter((p) => !file.parents.includes(p))];
    if (parents.length > 1) throw new DriveRefusal(403, "cannotAddParent", "Increasing the number of parents is not allowed.");
    for (const p of add) {
      const target = this.get(caller, p, allDrives);
      if (!target.driveId && this.isServiceAccount(caller) && file.driveId) {
        throw new DriveRefusal(403, "storageQuotaExceeded", "The user's Drive storage quota has been exceeded.");
      }
      file.driveId = target.driveId;
      if (target.driveId) file.owner = undefined;
    }
    file.parents = parents;
    if (change.trashed !== undefined) file.trashed = change.trashed;
    if (change.appProperties) file.appProperties = { ...file.appProperties, ...change.appProperties };
    if (change.content) {
      file.content = change.content;
      file.revisions++;
    }
    return file;
  }

  /** The files the caller can see that match; files in shared drives only with allDrives. */
  list(caller: string, match: (f: DriveFile) => boolean, allDrives: boolean): DriveFile[] {
    return [...this.files.values()].filter((f) => (allDrives || !f.driveId) && this.roleOf(caller, f) && match(f));
  }

  /** Shares a file with a person, as permissions.create does. */
  share(caller: string, id: string, email: string, role: DriveRole, notify: boolean, allDrives: boolean): Permission {
    const file = this.get(caller, id, allDrives);
    this.mustWrite(caller, file);
    const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
    if (this.allowedDomains && !this.allowedDomains.includes(domain)) {
      throw new DriveRefusal(403, "shareOutNotPermitted", `Bad Request. User message: "Sharing outside of your organization is not allowed: ${email}."`);
    }
    if (this.withoutGoogleAccount.has(email) && !notify) {
      throw new DriveRefusal(
        400,
        "invalidSharingRequest",
        `Bad Request. User message: "You are trying to invite ${email}. Since there is no Google account associated with this email address, you must check the 'Notify people' box to invite this recipient."`,
      );
    }
    const existing = file.permissions.find((p) => p.emailAddress === email);
    if (existing) {
      existing.role = role;
      return existing;
    }
    const permission: Permission = { id: `perm-${this.next++}`, emailAddress: email, role, type: "user" };
    file.permissions.push(permission);
    return permission;
  }

  /** The addresses a file is shared with, with a role. */
  readers(id: string): string[] {
    return (this.files.get(id)?.permissions ?? []).map((p) => p.emailAddress);
  }

  private add(file: Omit<DriveFile, "id" | "permissions" | "revisions" | "content"> & { content?: Buffer }): DriveFile {
    const id = file.mimeType === SPREADSHEET_TYPE ? `sheet-${this.next++}` : `file-${this.next++}`;
    const created: DriveFile = { id, permissions: [], revisions: 1, content: Buffer.alloc(0), ...file };
    this.files.set(id, created);
    return created;
  }
}
