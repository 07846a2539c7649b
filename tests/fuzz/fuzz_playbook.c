/*
 * fuzz_playbook.c — libFuzzer target for the playbook loader
 * (cb_playbook_load, casebook/playbook.h), its lint, and the renderers that
 * quote playbook text into Markdown, DOT and Mermaid (casebook/render.h).
 *
 * The input is a playbook file's contents.  Properties besides no crash, no
 * leak and no undefined behaviour: a load that fails returns no playbook and
 * says why in at least one diagnostic; a playbook that loads lints and renders
 * in Markdown, DOT and Mermaid, and every rendering is display-safe (valid
 * UTF-8, no control character but the line end, no C1 control, no bidi
 * override), whatever escapes the playbook's double-quoted strings held.  SVG
 * is left out: it is DOT laid out by Graphviz, slow and not ours.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casebook/playbook.h"
#include "casebook/render.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file("playbook.yaml", data, size);
    cb_diags diags;
    cb_diags_init(&diags);
    cb_playbook *pb = NULL;
    cb_status st = cb_playbook_load(path, &pb, &diags);
    if (st != CB_OK) {
        if (pb)
            fuzz_fail("cb_playbook_load", "failed with %d but returned a playbook", (int)st);
        if (diags.n == 0 && st != CB_ENOMEM)
            fuzz_fail("cb_playbook_load", "failed with %d without a diagnostic", (int)st);
    } else {
        if (!pb)
            fuzz_fail("cb_playbook_load", "succeeded without a playbook");
        if (cb_playbook_lint(pb, NULL, NULL, &diags) != CB_OK)
            fuzz_fail("cb_playbook_lint", "failed");
        static const struct {
            cb_render_format fmt;
            const char *name;
        } fmts[] = {{CB_RENDER_MD, "render md"},
                    {CB_RENDER_DOT, "render dot"},
                    {CB_RENDER_MERMAID, "render mermaid"}};
        /* The first two nodes as a highlighted path, to exercise the highlight too. */
        const char *path_ids[2];
        size_t npath = 0;
        for (size_t i = 0; i < pb->nnodes && npath < 2; i++)
            path_ids[npath++] = pb->nodes[i].id;
        for (size_t k = 0; k < sizeof fmts / sizeof fmts[0]; k++) {
            char *out = NULL;
            size_t len = 0;
            cb_error err;
            st = cb_render_playbook(pb, fmts[k].fmt, path_ids, npath, &out, &len, &err);
            if (st != CB_OK)
                fuzz_fail(fmts[k].name, "failed with %d: %s", (int)st, err.msg);
            if (strlen(out) != len)
                fuzz_fail(fmts[k].name, "length %zu, but a NUL at %zu", len, strlen(out));
            fuzz_check_display_safe(fmts[k].name, out, len, "\n");
            free(out);
        }
    }
    for (size_t i = 0; i < diags.n; i++) {
        char buf[64];
        (void)cb_diag_format(&diags.v[i], buf, sizeof buf);
        if (!diags.v[i].file || !diags.v[i].msg)
            fuzz_fail("cb_diags", "diagnostic %zu without file or message", i);
    }
    cb_diags_sort(&diags);
    cb_diags_release(&diags);
    cb_playbook_free(pb);
    return 0;
}
