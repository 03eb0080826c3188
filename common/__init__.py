"""What several apps use and none owns: the kept-pages cache, audit history, form helpers,
model fields, the health check, rate limits, the layout's context and general middleware."""
