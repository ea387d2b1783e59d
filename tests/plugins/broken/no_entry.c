/* A shared library that is not a Vigil plugin: it exports no entry symbol. */
#include <vigil/plugin.h>

VIGIL_PLUGIN_EXPORT int some_other_function(void) {
    return 42;
}
