// Checks Cypher statements offline with Neo4j's own Cypher 5 parser and semantic analysis
// (the npm package @neo4j-cypher/language-support, pinned in package-lock.json), without a
// database. tests/test_cypher.py runs it once over every statement of the project.
//
// stdin:  {"statements": [{"name", "query", "parameters": [names]}], "schema": {...}}
//         or just the list of statements. "parameters" are the $names the statement is sent
//         with (a $name not listed is an error); "schema" may give labels, relationshipTypes,
//         propertyKeys and graphSchema ([{from, to, relType}]): what a statement reads but the
//         schema lacks is a warning.
// stdout: [{"name", "diagnostics": [{"severity", "message", "line", "column"}]}], one entry per
//         statement in input order; severity is "error", "warning", "information" or "hint";
//         line and column count from 1 within the statement.
//
//   echo '[{"name": "x", "query": "MATCH (n) RETURN m"}]' | node tools/cypher-lint/lint.mjs

import { readFileSync } from 'node:fs';

import {
  lintCypherQuery,
  parseStatementsStrs,
  testData,
} from '@neo4j-cypher/language-support';

const CYPHER_5 = 'CYPHER 5';
const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

// The functions and procedures of a real Neo4j 5 server, as the package's own test data
// records them: only those built into Neo4j are kept, so a call of a plug-in's (APOC, GDS),
// which neither a plain Neo4j nor FalkorDB has, or of a misspelled name, is an error.
const known = testData.mockSchema;
const functions = Object.fromEntries(
  Object.entries(known.functions[CYPHER_5]).filter(([, f]) => f.isBuiltIn),
);
const procedures = Object.fromEntries(
  Object.entries(known.procedures[CYPHER_5]).filter(
    ([name]) => !/^(apoc|gds)\./.test(name),
  ),
);

const input = JSON.parse(readFileSync(0, 'utf8'));
const statements = Array.isArray(input) ? input : input.statements;
const schema = Array.isArray(input) ? {} : (input.schema ?? {});

const results = statements.map(({ name, query, parameters = [] }) => {
  const dbSchema = {
    ...schema,
    defaultLanguage: CYPHER_5,
    functions: { [CYPHER_5]: functions },
    procedures: { [CYPHER_5]: procedures },
    parameters: Object.fromEntries(parameters.map((p) => [p, null])),
  };
  const { diagnostics } = lintCypherQuery(query, dbSchema, {
    consoleCommandsEnabled: false,
  });
  const found = diagnostics.map((d) => ({
    severity: SEVERITY[d.severity] ?? String(d.severity),
    message: d.message,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
  }));
  const count = parseStatementsStrs(query).length;
  if (count !== 1) {
    found.push({
      severity: 'error',
      message: `expected exactly one statement, found ${count}`,
      line: 1,
      column: 1,
    });
  }
  return { name, diagnostics: found };
});

process.stdout.write(JSON.stringify(results));
