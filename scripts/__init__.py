"""election-kg: election articles published as a validated, linked, dereferenceable knowledge graph.

The pipeline (`pipeline`, `validation`, `linking`) writes files; the web server (`server`) reads
them and shares only `common` with the pipeline; `cli` is the one module that imports both sides.
"""
