"""Metadata: describe each cleaned document as a ``Report``."""

from indexer.metadata.describe import describe_report, make_doc_id

__all__ = ["describe_report", "make_doc_id"]
