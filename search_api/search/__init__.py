"""Search over an index generation: the library the CLI, the API and the LangChain retriever call."""

from indexer.store.manifest import IndexCorrupt
from search_api.search.filters import Filters, parse_years
from search_api.search.loaded_index import IndexNotFound, LoadedIndex
from search_api.search.searcher import MODES, SearchRequest, SearchResult, Searcher, SearchSettings

__all__ = ["Filters", "IndexCorrupt", "IndexNotFound", "LoadedIndex", "MODES", "SearchRequest", "SearchResult", "Searcher",
           "SearchSettings", "parse_years"]
