import { Parser } from '@asyncapi/parser';
import { asyncApiDocument } from '../src/http/asyncapi-document.js';
const parser = new Parser();
const doc = asyncApiDocument({ version: '0.1.0', host: '127.0.0.1:8000', secure: false });
const { document, diagnostics } = await parser.parse(JSON.stringify(doc));
for (const d of diagnostics) console.log(d.severity, d.code, d.message, d.path.join('.'));
console.log(document?.messages().all().map((m) => m.name()));
