"""Running and compiling programs: the runtime library, the reference interpreter,
the C back end and their line maps. Plain Python over the parsed file; no protocol."""
