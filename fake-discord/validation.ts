/**
 * Validation of what the bot sends, as Discord does it: message, embed and component limits,
 * autocomplete choices, and command registrations, each reported as Discord's 50035 "Invalid
 * Form Body" error tree with the same codes (BASE_TYPE_MAX_LENGTH, …) and paths. A reply that
 * real Discord would reject is rejected here too.
 */
import {
  COMMAND_NAME_RE,
  charLength,
  isRecord,
  type Json,
  MESSAGE_FLAG_COMPONENTS_V2,
} from "./internal.js";

export interface Issue {
  path: Array<string | number>;
  code: string;
  message: string;
}

/** Discord's error for an array or string over its limit. */
function tooMany(path: Issue["path"], max: number): Issue {
  return { path, code: "BASE_TYPE_MAX_LENGTH", message: `Must be ${max} or fewer in length.` };
}

function notAnArray(path: Issue["path"]): Issue {
  return { path, code: "BASE_TYPE_ARRAY", message: "Must be an array." };
}

function notAnObject(path: Issue["path"]): Issue {
  return { path, code: "MODEL_TYPE_CONVERT", message: "Only dictionaries may be used." };
}

export function errorTree(issues: Issue[]): Json {
  const root: Json = {};
  for (const issue of issues) {
    let node = root;
    for (const key of issue.path) {
      const name = String(key);
      const next = isRecord(node[name]) ? (node[name] as Json) : {};
      node[name] = next;
      node = next;
    }
    const list = Array.isArray(node._errors) ? (node._errors as unknown[]) : [];
    list.push({ code: issue.code, message: issue.message });
    node._errors = list;
  }
  return root;
}

function checkLength(
  issues: Issue[],
  value: unknown,
  max: number,
  path: Array<string | number>,
  required = false,
): number {
  if (value === undefined || value === null) {
    if (required)
      issues.push({ path, code: "BASE_TYPE_REQUIRED", message: "This field is required" });
    return 0;
  }
  if (typeof value !== "string") {
    issues.push({ path, code: "BASE_TYPE_STRING", message: "Must be a string." });
    return 0;
  }
  const length = charLength(value);
  if (required && length === 0) {
    issues.push({ path, code: "BASE_TYPE_REQUIRED", message: "This field is required" });
  } else if (length > max) {
    issues.push(tooMany(path, max));
  }
  return length;
}

/** Embed limits from Discord's documentation ("Embed Limits"). */
function validateEmbeds(embeds: unknown, base: Array<string | number>, issues: Issue[]): void {
  if (embeds === undefined || embeds === null) return;
  if (!Array.isArray(embeds)) {
    issues.push(notAnArray([...base, "embeds"]));
    return;
  }
  if (embeds.length > 10) {
    issues.push(tooMany([...base, "embeds"], 10));
  }
  let total = 0;
  embeds.forEach((embed, index) => {
    const at = [...base, "embeds", index];
    if (!isRecord(embed)) {
      issues.push(notAnObject(at));
      return;
    }
    total += checkLength(issues, embed.title, 256, [...at, "title"]);
    total += checkLength(issues, embed.description, 4096, [...at, "description"]);
    if (isRecord(embed.footer)) {
      total += checkLength(issues, embed.footer.text, 2048, [...at, "footer", "text"], true);
    }
    if (isRecord(embed.author)) {
      total += checkLength(issues, embed.author.name, 256, [...at, "author", "name"], true);
    }
    if (embed.fields !== undefined) {
      if (!Array.isArray(embed.fields)) {
        issues.push(notAnArray([...at, "fields"]));
      } else {
        if (embed.fields.length > 25) {
          issues.push(tooMany([...at, "fields"], 25));
        }
        embed.fields.forEach((field, fieldIndex) => {
          const fieldPath = [...at, "fields", fieldIndex];
          if (!isRecord(field)) {
            issues.push(notAnObject(fieldPath));
            return;
          }
          total += checkLength(issues, field.name, 256, [...fieldPath, "name"], true);
          total += checkLength(issues, field.value, 1024, [...fieldPath, "value"], true);
        });
      }
    }
  });
  if (total > 6000) {
    issues.push({
      path: [...base, "embeds"],
      code: "MAX_EMBED_SIZE_EXCEEDED",
      message: "Embed size exceeds maximum size of 6000",
    });
  }
}

export function collectCustomIds(node: unknown, out: string[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collectCustomIds(item, out);
    return;
  }
  if (!isRecord(node)) return;
  if (typeof node.custom_id === "string") out.push(node.custom_id);
  collectCustomIds(node.components, out);
  collectCustomIds(node.accessory, out);
  collectCustomIds(node.component, out);
}

/** Classic action rows: at most 5 rows of at most 5 buttons, custom ids 1–100 and unique. */
function validateComponents(data: Json, base: Array<string | number>, issues: Issue[]): void {
  const components = data.components;
  if (components === undefined || components === null) return;
  if (!Array.isArray(components)) {
    issues.push(notAnArray([...base, "components"]));
    return;
  }
  const v2 = typeof data.flags === "number" && (data.flags & MESSAGE_FLAG_COMPONENTS_V2) !== 0;
  if (!v2) {
    if (components.length > 5) {
      issues.push(tooMany([...base, "components"], 5));
    }
    components.forEach((row, rowIndex) => {
      const rowPath = [...base, "components", rowIndex];
      if (!isRecord(row) || row.type !== 1 || !Array.isArray(row.components)) {
        issues.push({
          path: rowPath,
          code: "UNION_TYPE_CHOICES",
          message: 'Value of field "type" must be one of (1,).',
        });
        return;
      }
      if (row.components.length > 5) {
        issues.push(tooMany([...rowPath, "components"], 5));
      }
      row.components.forEach((component, index) => {
        const at = [...rowPath, "components", index];
        if (!isRecord(component)) return;
        if (component.type === 2) {
          checkLength(issues, component.label, 80, [...at, "label"]);
          if (component.style === 5) {
            checkLength(issues, component.url, 512, [...at, "url"], true);
          } else if (component.style !== 6) {
            checkLength(issues, component.custom_id, 100, [...at, "custom_id"], true);
          }
        } else if (typeof component.custom_id === "string") {
          checkLength(issues, component.custom_id, 100, [...at, "custom_id"], true);
        }
      });
    });
  }
  const ids: string[] = [];
  collectCustomIds(components, ids);
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) {
      issues.push({
        path: [...base, "components"],
        code: "COMPONENT_CUSTOM_ID_DUPLICATED",
        message: "Component custom id cannot be duplicated",
      });
      break;
    }
    seen.add(id);
  }
}

export function isEmptyMessage(data: Json | undefined): boolean {
  if (!data) return true;
  const hasContent = typeof data.content === "string" && data.content.length > 0;
  const hasList = (key: string) => Array.isArray(data[key]) && (data[key] as unknown[]).length > 0;
  return (
    !hasContent &&
    !hasList("embeds") &&
    !hasList("components") &&
    !hasList("attachments") &&
    !hasList("sticker_ids") &&
    !isRecord(data.poll)
  );
}

export function validateMessageData(data: Json, base: Array<string | number>): Issue[] {
  const issues: Issue[] = [];
  checkLength(issues, data.content, 2000, [...base, "content"]);
  validateEmbeds(data.embeds, base, issues);
  validateComponents(data, base, issues);
  return issues;
}

export function validateChoices(data: Json | undefined): Issue[] {
  const issues: Issue[] = [];
  const choices = data?.choices;
  if (!Array.isArray(choices)) {
    issues.push({
      path: ["data", "choices"],
      code: "BASE_TYPE_REQUIRED",
      message: "This field is required",
    });
    return issues;
  }
  if (choices.length > 25) {
    issues.push(tooMany(["data", "choices"], 25));
  }
  choices.forEach((choice, index) => {
    const at = ["data", "choices", index];
    if (!isRecord(choice)) {
      issues.push(notAnObject(at));
      return;
    }
    checkLength(issues, choice.name, 100, [...at, "name"], true);
    if (typeof choice.value === "string") checkLength(issues, choice.value, 100, [...at, "value"]);
    else if (typeof choice.value !== "number") {
      issues.push({
        path: [...at, "value"],
        code: "BASE_TYPE_REQUIRED",
        message: "This field is required",
      });
    }
  });
  return issues;
}

function validateCommandName(
  name: unknown,
  lowercase: boolean,
  path: Array<string | number>,
  issues: Issue[],
) {
  if (
    typeof name !== "string" ||
    !COMMAND_NAME_RE.test(name) ||
    (lowercase && name !== name.toLowerCase())
  ) {
    issues.push({
      path,
      code: "APPLICATION_COMMAND_INVALID_NAME",
      message: `Command name is invalid`,
    });
  }
}

function validateDescription(value: unknown, path: Array<string | number>, issues: Issue[]) {
  const length = charLength(value);
  if (typeof value !== "string" || length < 1 || length > 100) {
    issues.push({
      path,
      code: "BASE_TYPE_BAD_LENGTH",
      message: "Must be between 1 and 100 in length.",
    });
  }
}

function validateCommandOptions(
  options: unknown,
  path: Array<string | number>,
  issues: Issue[],
): void {
  if (options === undefined || options === null) return;
  if (!Array.isArray(options)) {
    issues.push(notAnArray(path));
    return;
  }
  if (options.length > 25) {
    issues.push(tooMany(path, 25));
  }
  let sawOptional = false;
  const names = new Set<string>();
  options.forEach((option, index) => {
    const at = [...path, index];
    if (!isRecord(option)) {
      issues.push(notAnObject(at));
      return;
    }
    validateCommandName(option.name, true, [...at, "name"], issues);
    validateDescription(option.description, [...at, "description"], issues);
    if (typeof option.name === "string") {
      if (names.has(option.name)) {
        issues.push({
          path: [...at, "name"],
          code: "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS",
          message: "Option name already exists",
        });
      }
      names.add(option.name);
    }
    const type = option.type;
    if (typeof type !== "number" || !Number.isInteger(type) || type < 1 || type > 11) {
      issues.push({
        path: [...at, "type"],
        code: "BASE_TYPE_CHOICES",
        message: "Value must be one of 1..11.",
      });
      return;
    }
    if (type === 1 || type === 2) {
      validateCommandOptions(option.options, [...at, "options"], issues);
      return;
    }
    if (option.required === true && sawOptional) {
      issues.push({
        path: [...at, "required"],
        code: "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
        message: "Required options must be placed before non-required options",
      });
    }
    if (option.required !== true) sawOptional = true;
    if (Array.isArray(option.choices)) {
      if (option.choices.length > 25) {
        issues.push(tooMany([...at, "choices"], 25));
      }
      if (option.autocomplete === true && option.choices.length > 0) {
        issues.push({
          path: [...at, "autocomplete"],
          code: "APPLICATION_COMMAND_OPTION_CHOICES_AND_AUTOCOMPLETE",
          message: "Autocomplete cannot be set with choices",
        });
      }
    }
  });
}

export function validateCommandList(body: unknown): Issue[] {
  const issues: Issue[] = [];
  if (!Array.isArray(body)) {
    return [notAnArray([])];
  }
  const seen = new Set<string>();
  let chatInput = 0;
  body.forEach((command, index) => {
    if (!isRecord(command)) {
      issues.push(notAnObject([index]));
      return;
    }
    const type = typeof command.type === "number" ? command.type : 1;
    if (type === 1) chatInput++;
    validateCommandName(command.name, type === 1, [index, "name"], issues);
    if (type === 1) validateDescription(command.description, [index, "description"], issues);
    else if (command.description !== undefined && command.description !== "") {
      issues.push({
        path: [index, "description"],
        code: "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
        message: "Context menu commands cannot have description",
      });
    }
    validateCommandOptions(command.options, [index, "options"], issues);
    const key = `${type}:${String(command.name)}`;
    if (seen.has(key)) {
      issues.push({
        path: [index, "name"],
        code: "APPLICATION_COMMANDS_DUPLICATE_NAME",
        message: `Application command names must be unique`,
      });
    }
    seen.add(key);
  });
  if (chatInput > 100) {
    issues.push(tooMany([], 100));
  }
  return issues;
}
