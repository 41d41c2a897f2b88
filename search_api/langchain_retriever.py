"""The archive as a LangChain retriever: ``Document``s with the passage fields as metadata."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from search_api.search import Filters, SearchRequest, Searcher


class ReportArchiveRetriever(BaseRetriever):
    searcher: Any  # a search_api.search.Searcher (pydantic cannot validate the class itself)
    k: int = 10
    mode: str = "hybrid"
    filters: Filters = Filters()

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        searcher: Searcher = self.searcher
        result = searcher.search(SearchRequest(query, self.k, self.mode, self.filters))
        documents = []
        for passage in result.passages:
            metadata = passage.to_json()
            text = metadata.pop("text")
            documents.append(Document(page_content=text, metadata=metadata, id=passage.chunk_id))
        return documents
