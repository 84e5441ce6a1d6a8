"""Build tools: rubric -> MkDocs pages and checklist HTML, the kcm_core wheel for Pyodide,
the vendored Pyodide runtime, and the post-build steps (service worker, CSP)."""
