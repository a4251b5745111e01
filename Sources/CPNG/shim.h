#include <png.h>
// Composite macros are not imported into Swift; re-export the values the canvas needs.
static const unsigned int CPNG_FORMAT_RGBA = PNG_FORMAT_RGBA;
static const unsigned int CPNG_IMAGE_VERSION = PNG_IMAGE_VERSION;
