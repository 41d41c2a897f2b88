"""The service's searcher on a real index of corpus/."""

from search_api.service import SearchService
from search_api.settings import Settings


def test_the_service_embeds_each_query_on_the_configured_number_of_threads(real_corpus_index):
    # Concurrent requests then run their embeddings side by side on the cores (see Settings).
    assert Settings().embed_threads == 1
    service = SearchService(real_corpus_index[0], embed_threads=1)
    assert service.embedder._session.get_session_options().intra_op_num_threads == 1
