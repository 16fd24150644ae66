"""Full-text search of BIP pages: Polish analysis, prebuilt whoosh indexes, and static browser indexes."""

from bip.search.index import SearchDoc, SearchResult, build_index, search, update_index
from bip.search.static import export_static

__all__ = ["SearchDoc", "SearchResult", "build_index", "export_static", "search", "update_index"]
