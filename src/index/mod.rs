//! The Tantivy index of statements: schema, writing and searching.
