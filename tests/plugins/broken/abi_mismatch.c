/* A plugin built for a future ABI major: the loader must refuse it and name both versions. */
#include <vigil/plugin.h>

static const vigil_plugin_descriptor descriptor = {sizeof(vigil_plugin_descriptor),
                                                   VIGIL_ABI_MAJOR + 1,
                                                   0,
                                                   VIGIL_KIND_CONNECTOR,
                                                   "future",
                                                   "9.0.0",
                                                   "built for another ABI",
                                                   0,
                                                   0,
                                                   0,
                                                   0,
                                                   0,
                                                   0};

VIGIL_PLUGIN_EXPORT const vigil_plugin_descriptor* vigil_plugin_entry(void) {
    return &descriptor;
}
