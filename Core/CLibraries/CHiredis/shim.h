// CHiredis: the hiredis client (Debian's libhiredis-dev, 0.14: no TLS, no RESP3).
// Only Core/Redis calls into this module. `redisCommand` is variadic and cannot be called
// from Swift; Core uses the binary-safe `redisCommandArgv` / `redisAppendCommandArgv` instead.
#ifndef CHIREDIS_SHIM_H
#define CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>
#endif
