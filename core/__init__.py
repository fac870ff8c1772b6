"""The ground floor: plumbing every app shares (caching, client address and log-in protection,
the API's error shape, pagination and schema, generic admin guards). It imports no app."""
