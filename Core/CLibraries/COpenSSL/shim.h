// COpenSSL: OpenSSL 3's libcrypto (Debian's libssl-dev). Only Core/Crypto calls into it.
// The one-shot HMAC() and the EVP_* interfaces are used; HMAC_CTX_* is deprecated in OpenSSL 3.
#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/err.h>
#endif
