/* pw-report-save.c: reports written in a worker thread, and saved to files whole.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-report"

#include "config.h"

#include "pw-report-private.h"

#include <errno.h>
#include <gio/gfiledescriptorbased.h>
#include <glib/gi18n-lib.h>
#include <unistd.h>

/* Async */

typedef struct {
  PwStore         *store;
  PwReportOptions  options;
  char            *site_name;
  GOutputStream   *stream;
  GFile           *file;
} TaskData;

static void
task_data_free (TaskData *data)
{
  g_clear_object (&data->store);
  g_free (data->site_name);
  g_clear_object (&data->stream);
  g_clear_object (&data->file);
  g_free (data);
}

static TaskData *
task_data_new (PwStore               *store,
               const PwReportOptions *options)
{
  TaskData *data = g_new0 (TaskData, 1);

  data->store = g_object_ref (store);
  data->options = *options;
  data->site_name = g_strdup (options->site_name);
  data->options.site_name = data->site_name;
  return data;
}

static void
write_worker (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;

  if (pw_report_write (data->store, &data->options, data->stream, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * pw_report_write_async:
 * @stream: not to be used by anyone else until the report is written
 *
 * pw_report_write() in a worker thread.
 */
void
pw_report_write_async (PwStore                *store,
                       const PwReportOptions  *options,
                       GOutputStream          *stream,
                       GCancellable           *cancellable,
                       GAsyncReadyCallback     callback,
                       gpointer                user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  TaskData *data;

  g_return_if_fail (PW_IS_STORE (store));
  g_return_if_fail (options != NULL);
  g_return_if_fail (G_IS_OUTPUT_STREAM (stream));

  data = task_data_new (store, options);
  data->stream = g_object_ref (stream);
  g_task_set_source_tag (task, pw_report_write_async);
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, write_worker);
}

gboolean
pw_report_write_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Saving to a file */

/* A new file beside @file, for the report until it is whole. */
static GFileOutputStream *
create_partial (GFile         *file,
                GFile        **partial_out,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *basename = g_file_get_basename (file);

  if (parent == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY, _("Cannot save a report as a folder"));
      return NULL;
    }
  for (guint attempt = 0; ; attempt++)
    {
      g_autofree char *name = g_strdup_printf (".%s.%08x.part", basename, g_random_int ());
      g_autoptr(GFile) partial = g_file_get_child (parent, name);
      g_autoptr(GError) local_error = NULL;
      GFileOutputStream *stream = g_file_create (partial, G_FILE_CREATE_NONE, cancellable, &local_error);

      if (stream != NULL)
        {
          *partial_out = g_steal_pointer (&partial);
          return stream;
        }
      if (attempt >= 16 || !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_autofree char *shown = g_file_get_parse_name (file);

          g_set_error (error, local_error->domain, local_error->code, _("Cannot save the report as “%s”: %s"),
                       shown, local_error->message);
          return NULL;
        }
    }
}

/* On the disk before it takes the name: a crash cannot leave an empty report. */
static gboolean
sync_stream (GFileOutputStream  *stream,
             GError            **error)
{
  if (G_IS_FILE_DESCRIPTOR_BASED (stream) &&
      fsync (g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (stream))) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Cannot write the report: %s"),
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/**
 * pw_report_save:
 * @file: where the report goes; replaced if it exists
 *
 * Writes the report to a new file beside @file and gives it @file's name
 * only once it is whole: a full disk, a failure or a cancellation leaves
 * @file as it was, and no partial file behind. Blocks, as pw_report_write().
 */
gboolean
pw_report_save (PwStore                *store,
                const PwReportOptions  *options,
                GFile                  *file,
                GCancellable           *cancellable,
                GError                **error)
{
  g_autoptr(GFile) partial = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  gboolean ok;

  g_return_val_if_fail (PW_IS_STORE (store), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!_pw_report_check_options (options, error))
    return FALSE;
  stream = create_partial (file, &partial, cancellable, error);
  if (stream == NULL)
    return FALSE;
  ok = pw_report_write (store, options, G_OUTPUT_STREAM (stream), cancellable, error) &&
       sync_stream (stream, error) &&
       g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, error) &&
       g_file_move (partial, file, G_FILE_COPY_OVERWRITE | G_FILE_COPY_NO_FALLBACK_FOR_MOVE, cancellable,
                    NULL, NULL, error);
  if (!ok)
    {
      g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, NULL);
      g_file_delete (partial, NULL, NULL);
    }
  return ok;
}

static void
save_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;

  if (pw_report_save (data->store, &data->options, data->file, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * pw_report_save_async:
 *
 * pw_report_save() in a worker thread.
 */
void
pw_report_save_async (PwStore                *store,
                      const PwReportOptions  *options,
                      GFile                  *file,
                      GCancellable           *cancellable,
                      GAsyncReadyCallback     callback,
                      gpointer                user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  TaskData *data;

  g_return_if_fail (PW_IS_STORE (store));
  g_return_if_fail (options != NULL);
  g_return_if_fail (G_IS_FILE (file));

  data = task_data_new (store, options);
  data->file = g_object_ref (file);
  g_task_set_source_tag (task, pw_report_save_async);
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, save_worker);
}

gboolean
pw_report_save_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
