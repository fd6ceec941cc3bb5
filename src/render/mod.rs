//! Renderings of statements, hits and facets for terminals and for machines.
