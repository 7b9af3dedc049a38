/**
 * Human-readable API documentation, rendered on the server from our own OpenAPI 3.1
 * document: no script, no CDN, works offline. Only the parts we use are modelled.
 */
import { Layout } from "./layout";

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  example?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

interface MediaTypes {
  [mediaType: string]: { schema?: JsonSchema };
}

export interface Operation {
  summary?: string;
  description?: string;
  operationId?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; required?: boolean; description?: string; schema?: JsonSchema }>;
  requestBody?: { description?: string; required?: boolean; content?: MediaTypes };
  responses?: Record<string, { description?: string; content?: MediaTypes }>;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  security?: Array<Record<string, string[]>>;
  paths?: Record<string, Record<string, Operation>>;
  components?: {
    schemas?: Record<string, JsonSchema>;
    securitySchemes?: Record<
      string,
      { type: string; scheme?: string; in?: string; name?: string; description?: string }
    >;
  };
}

const METHODS = ["get", "post", "put", "patch", "delete", "head", "options"] as const;
// Past this depth a schema is summarised by its type; components are linked, never inlined.
const MAX_DEPTH = 5;

const refName = (ref: string) => ref.replace("#/components/schemas/", "");
const anchor = (prefix: string, name: string) => `${prefix}-${name.replace(/[^A-Za-z0-9_-]+/g, "-")}`;

function typeText(schema: JsonSchema): string {
  const types = Array.isArray(schema.type) ? schema.type.join(" or ") : (schema.type ?? "any");
  return schema.format ? `${types} (${schema.format})` : types;
}

function constraints(schema: JsonSchema): string[] {
  const notes: string[] = [];
  if (schema.enum) notes.push(`one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`);
  if (schema.const !== undefined) notes.push(`always ${JSON.stringify(schema.const)}`);
  if (schema.minimum !== undefined) notes.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) notes.push(`≤ ${schema.maximum}`);
  if (schema.minLength !== undefined) notes.push(`at least ${schema.minLength} characters`);
  if (schema.maxLength !== undefined) notes.push(`at most ${schema.maxLength} characters`);
  if (schema.pattern !== undefined) notes.push(`matches /${schema.pattern}/`);
  if (schema.default !== undefined) notes.push(`default ${JSON.stringify(schema.default)}`);
  if (schema.example !== undefined) notes.push(`e.g. ${JSON.stringify(schema.example)}`);
  return notes;
}

export function SchemaView({ schema, depth = 0 }: { schema: JsonSchema | undefined; depth?: number }) {
  if (!schema) return <span class="muted">any</span>;
  if (schema.$ref) {
    const name = refName(schema.$ref);
    return (
      <a href={`#${anchor("schema", name)}`}>
        <code>{name}</code>
      </a>
    );
  }
  const variants = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (variants) {
    const joiner = schema.allOf ? "all of" : "one of";
    return (
      <span>
        {joiner}:
        <ul>
          {variants.map((variant) => (
            <li>
              <SchemaView schema={variant} depth={depth + 1} />
            </li>
          ))}
        </ul>
      </span>
    );
  }
  const notes = constraints(schema);
  const head = (
    <>
      <code>{typeText(schema)}</code>
      {notes.length > 0 ? <span class="muted"> · {notes.join(" · ")}</span> : null}
      {schema.description ? <span> · {schema.description}</span> : null}
    </>
  );
  if (schema.items && depth < MAX_DEPTH) {
    return (
      <span>
        {head} of <SchemaView schema={schema.items} depth={depth + 1} />
      </span>
    );
  }
  if (schema.properties && depth < MAX_DEPTH) {
    const required = new Set(schema.required ?? []);
    return (
      <span>
        {head}
        <ul>
          {Object.entries(schema.properties).map(([name, property]) => (
            <li>
              <code>{name}</code>
              {required.has(name) ? <strong> (required)</strong> : null}:{" "}
              <SchemaView schema={property} depth={depth + 1} />
            </li>
          ))}
        </ul>
      </span>
    );
  }
  return <span>{head}</span>;
}

function Content({ content }: { content: MediaTypes | undefined }) {
  if (!content) return null;
  return (
    <>
      {Object.entries(content).map(([mediaType, { schema }]) => (
        <div>
          <code>{mediaType}</code>: <SchemaView schema={schema} />
        </div>
      ))}
    </>
  );
}

function securityText(operation: Operation, doc: OpenApiDocument): string {
  const requirements = operation.security ?? doc.security ?? [];
  if (requirements.length === 0) return "No authentication.";
  const names = requirements.map((requirement) => Object.keys(requirement).join(" and ") || "none");
  return `Authentication: ${names.join(", or ")}.`;
}

function OperationView({
  path,
  method,
  operation,
  doc,
}: {
  path: string;
  method: string;
  operation: Operation;
  doc: OpenApiDocument;
}) {
  const id = anchor("op", `${method}-${path}`);
  return (
    <section class="operation" id={id}>
      <h3>
        <span class="method">{method}</span> <code>{path}</code>
      </h3>
      {operation.summary ? <p>{operation.summary}</p> : null}
      {operation.description ? <p>{operation.description}</p> : null}
      <p class="muted">{securityText(operation, doc)}</p>
      {operation.parameters?.length ? (
        <>
          <h4>Parameters</h4>
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>In</th>
                <th>Schema</th>
              </tr>
            </thead>
            <tbody>
              {operation.parameters.map((parameter) => (
                <tr>
                  <td>
                    <code>{parameter.name}</code>
                    {parameter.required ? <strong> (required)</strong> : null}
                  </td>
                  <td>{parameter.in}</td>
                  <td>
                    <SchemaView schema={parameter.schema} />
                    {parameter.description ? <div>{parameter.description}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {operation.requestBody ? (
        <>
          <h4>Request body{operation.requestBody.required ? " (required)" : ""}</h4>
          {operation.requestBody.description ? <p>{operation.requestBody.description}</p> : null}
          <Content content={operation.requestBody.content} />
        </>
      ) : null}
      {operation.responses ? (
        <>
          <h4>Responses</h4>
          <table>
            <tbody>
              {Object.entries(operation.responses).map(([status, response]) => (
                <tr>
                  <td>
                    <code>{status}</code>
                  </td>
                  <td>
                    {response.description ?? ""}
                    <Content content={response.content} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

/** The operations of a document in path order, each method in a fixed order. */
export function listOperations(doc: OpenApiDocument): Array<{ path: string; method: string; operation: Operation }> {
  const operations: Array<{ path: string; method: string; operation: Operation }> = [];
  for (const path of Object.keys(doc.paths ?? {}).sort()) {
    const item = doc.paths?.[path] ?? {};
    for (const method of METHODS) {
      const operation = item[method];
      if (operation) operations.push({ path, method, operation });
    }
  }
  return operations;
}

/** GET /docs */
export function DocsPage({ doc }: { doc: OpenApiDocument }) {
  const operations = listOperations(doc);
  const schemas = Object.entries(doc.components?.schemas ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const securitySchemes = Object.entries(doc.components?.securitySchemes ?? {});
  return (
    <Layout title={`${doc.info.title} ${doc.info.version}`}>
      <h1>
        {doc.info.title} <span class="muted">{doc.info.version}</span>
      </h1>
      {doc.info.description ? <p>{doc.info.description}</p> : null}
      <p>
        Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI {doc.openapi}).
      </p>
      {securitySchemes.length > 0 ? (
        <>
          <h2>Authentication</h2>
          <ul>
            {securitySchemes.map(([name, scheme]) => (
              <li>
                <code>{name}</code>: {scheme.type}
                {scheme.scheme ? ` ${scheme.scheme}` : ""}
                {scheme.in ? ` in ${scheme.in} "${scheme.name ?? ""}"` : ""}
                {scheme.description ? `. ${scheme.description}` : ""}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>Operations</h2>
      <ul class="toc">
        {operations.map(({ path, method, operation }) => (
          <li>
            <a href={`#${anchor("op", `${method}-${path}`)}`}>
              <span class="method">{method}</span> <code>{path}</code>
            </a>
            {operation.summary ? <span class="muted"> · {operation.summary}</span> : null}
          </li>
        ))}
      </ul>
      {operations.map(({ path, method, operation }) => (
        <OperationView path={path} method={method} operation={operation} doc={doc} />
      ))}
      {schemas.length > 0 ? (
        <>
          <h2>Schemas</h2>
          {schemas.map(([name, schema]) => (
            <section class="operation" id={anchor("schema", name)}>
              <h3>
                <code>{name}</code>
              </h3>
              <SchemaView schema={schema} />
            </section>
          ))}
        </>
      ) : null}
    </Layout>
  );
}
