#include <zlib.h>
// deflateInit / inflateInit are macros Swift cannot import; re-export what Swift needs.
static const char *const CZLIB_VERSION_STRING = ZLIB_VERSION;
