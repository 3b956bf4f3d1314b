"""A curator's tools over the alias table: golden queries, the impact of a change, and
accepting a reviewed name as an alias."""
