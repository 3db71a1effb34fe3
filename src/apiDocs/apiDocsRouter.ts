import express, { Router } from 'express';
import { getAbsoluteFSPath } from 'swagger-ui-dist';
import { buildAsyncApiDocument } from './asyncApiDocument';
import { buildOpenApiDocument } from './openApiDocument';

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Communication backend API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;
const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n`;

/**
 * GET /openapi.json, /asyncapi.json and the reference page /docs (Swagger UI, its assets
 * served from the swagger-ui-dist package, nothing from a CDN). Documents are built once.
 */
export const createApiDocsRouter = (): Router => {
  const router = Router();
  const openApi = buildOpenApiDocument();
  const asyncApi = buildAsyncApiDocument();
  router.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  router.get('/asyncapi.json', (_req, res) => {
    res.json(asyncApi);
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(PAGE);
  });
  router.get('/docs/init.js', (_req, res) => {
    res.type('js').send(INIT);
  });
  // No ranges and no folder redirects: 206, 416 and 301 would be statuses for nothing the page needs.
  router.use(
    '/docs/assets',
    express.static(getAbsoluteFSPath(), { index: false, maxAge: '1h', acceptRanges: false, redirect: false }),
  );
  return router;
};
