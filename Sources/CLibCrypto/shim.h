// Only SHA-256 is used: OpenSSL's EVP digest API (libcrypto, Debian's libssl-dev).
#include <openssl/evp.h>
