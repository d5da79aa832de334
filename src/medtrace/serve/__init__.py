"""A resident server per project, so that ``medtrace check`` answers from memory that is
proved current (``medtrace serve``; see :mod:`medtrace.serve.server`), and the command line's
client of it (:mod:`medtrace.serve.client`). Nothing is imported here: the client must stay
light."""
