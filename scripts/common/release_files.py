"""The names of a release's own files, which the build writes and the server and the linking
commands read: one table, so that the two sides of the one-way flow never disagree on a name."""

MANIFEST = "manifest.json"
"""Every file of the release with its size and SHA-256, the data version, the base, the counts."""

REDIRECTS = "redirects.tsv"
"""Moved IRIs (old path, new path): the 301s that keep every IRI a release once published working."""

STATISTICS = "statistics.json"
"""The whole-dataset figures of the VoID description, computed by the build."""

RESOURCES = "resources.txt"
"""Every resource IRI of the release (every IRI under {base}id/ the data says something about), one
per line, sorted: each has a page, and the sitemap lists them."""

REQUIRED = (STATISTICS, RESOURCES)
"""What the server cannot serve a release without (a build by an older version lacks some)."""
