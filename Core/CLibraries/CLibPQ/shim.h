// CLibPQ: PostgreSQL's client library (Debian's libpq-dev). Only Core/Postgres calls into it.
// Included by its Debian path so no pkg-config flags are needed.
#ifndef CLIBPQ_SHIM_H
#define CLIBPQ_SHIM_H
#include <postgresql/libpq-fe.h>
#endif
