/* ck-pin-guard.c
 *
 * Copyright 2026 The Consent Kiosk authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What stands between a customer and the staff functions: the PIN's hash,
 * and how many wrong PINs were given.
 *
 * A PIN counts as wrong from the moment it is given: the count goes up,
 * and a "staff-pin-tried" event is committed to the store, before the
 * check starts; only the check's "right" takes it back (and commits
 * "staff-unlocked"). So neither guesses given faster than they are checked
 * nor a restart of the kiosk (systemd restarts it) get around the lockout
 * of CkPinLimiter: at start, the guard counts the tries since the last
 * unlock in the store. One check runs at a time; a PIN given while one
 * runs is not checked, and counts as wrong. */

#define G_LOG_DOMAIN "ck-pin"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ck-pin.h"
#include "ck-pin-guard.h"

struct _CkPinGuard
{
  GObject parent_instance;

  char *hash;
  CkStore *store;
  CkPinLimiter limiter;
  gboolean checking;
};

G_DEFINE_FINAL_TYPE (CkPinGuard, ck_pin_guard, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CHECKING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ck_pin_guard_finalize (GObject *object)
{
  CkPinGuard *self = CK_PIN_GUARD (object);

  g_clear_pointer (&self->hash, g_free);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ck_pin_guard_parent_class)->finalize (object);
}

static void
ck_pin_guard_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CkPinGuard *self = CK_PIN_GUARD (object);

  switch (prop_id)
    {
    case PROP_CHECKING:
      g_value_set_boolean (value, self->checking);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ck_pin_guard_class_init (CkPinGuardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ck_pin_guard_finalize;
  object_class->get_property = ck_pin_guard_get_property;

  /**
   * CkPinGuard:checking:
   *
   * Whether a PIN is being checked now.
   */
  properties[PROP_CHECKING] =
    g_param_spec_boolean ("checking", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ck_pin_guard_init (CkPinGuard *self)
{
  ck_pin_limiter_init (&self->limiter);
}

/**
 * ck_pin_guard_new:
 * @hash: (nullable): the configured staff PIN's hash; %NULL: no PIN
 *   unlocks anything
 * @store: (nullable): where the tries are kept; %NULL keeps them in
 *   memory only
 *
 * Returns: (transfer full): a guard that starts from the tries the store
 *   remembers since the last unlock
 */
CkPinGuard *
ck_pin_guard_new (const char *hash,
                  CkStore    *store)
{
  CkPinGuard *self = g_object_new (CK_TYPE_PIN_GUARD, NULL);
  g_autoptr(GError) error = NULL;
  guint tries;
  gint64 last_us;

  g_return_val_if_fail (store == NULL || CK_IS_STORE (store), NULL);

  self->hash = g_strdup (hash);
  self->store = store ? g_object_ref (store) : NULL;

  if (store && !ck_store_count_pin_tries (store, &tries, &last_us, &error))
    g_warning ("The staff PIN's wrong tries could not be read, counting from none: %s", error->message);
  else if (store)
    ck_pin_limiter_restore (&self->limiter, tries, last_us);

  return self;
}

/**
 * ck_pin_guard_has_pin:
 *
 * Returns: whether a staff PIN is configured
 */
gboolean
ck_pin_guard_has_pin (CkPinGuard *self)
{
  g_return_val_if_fail (CK_IS_PIN_GUARD (self), FALSE);

  return self->hash != NULL;
}

gboolean
ck_pin_guard_get_checking (CkPinGuard *self)
{
  g_return_val_if_fail (CK_IS_PIN_GUARD (self), FALSE);

  return self->checking;
}

/**
 * ck_pin_guard_get_wait_s:
 *
 * Returns: how many seconds before a PIN is checked again; 0 if one is
 *   checked now
 */
guint
ck_pin_guard_get_wait_s (CkPinGuard *self)
{
  g_return_val_if_fail (CK_IS_PIN_GUARD (self), 0);

  return ck_pin_limiter_get_wait_s (&self->limiter, g_get_real_time ());
}

/**
 * ck_pin_guard_get_failures:
 *
 * Returns: the PINs given since the last right one (a PIN being checked
 *   counts)
 */
guint
ck_pin_guard_get_failures (CkPinGuard *self)
{
  g_return_val_if_fail (CK_IS_PIN_GUARD (self), 0);

  return self->limiter.failures;
}

static void
set_checking (CkPinGuard *self,
              gboolean    checking)
{
  if (self->checking == checking)
    return;

  self->checking = checking;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKING]);
}

static void
pin_free (char *pin)
{
  if (pin)
    memset (pin, 0, strlen (pin));
  g_free (pin);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CkPinGuard *self = source_object;

  g_task_return_boolean (task, ck_pin_verify (self->hash, task_data));
}

/* Back on the caller's context: a right PIN forgives the tries. */
static void
check_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  CkPinGuard *self = CK_PIN_GUARD (object);
  g_autoptr(GTask) outer = user_data;
  g_autoptr(GError) error = NULL;
  gboolean right = g_task_propagate_boolean (G_TASK (result), NULL);

  set_checking (self, FALSE);
  if (right)
    {
      ck_pin_limiter_record (&self->limiter, TRUE, g_get_real_time ());
      /* Not recorded, the tries stay counted after a restart: that errs
       * on the safe side, so the unlock goes on. */
      if (self->store && !ck_store_record_unlocked (self->store, &error))
        g_warning ("The staff unlock could not be recorded: %s", error->message);
      g_message ("Staff functions unlocked");
    }
  else
    g_message ("A wrong staff PIN was given (%u in a row)", self->limiter.failures);

  g_task_return_boolean (outer, right);
}

/**
 * ck_pin_guard_check_async:
 * @pin: the PIN as given
 *
 * Counts @pin as a wrong PIN, in memory and in the store, then checks it
 * in a worker thread; only a right result takes the count back.
 *
 * Fails with %CK_PIN_ERROR_NO_PIN when no PIN is configured,
 * %CK_PIN_ERROR_LOCKED while too many wrong PINs lock entry (nothing is
 * counted), %CK_PIN_ERROR_BUSY while another PIN is being checked (this
 * one counts, unchecked), or a %CK_STORE_ERROR when the try cannot be
 * recorded (then nothing is checked).
 */
void
ck_pin_guard_check_async (CkPinGuard          *self,
                          const char          *pin,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  GTask *inner;
  guint wait_s;

  g_return_if_fail (CK_IS_PIN_GUARD (self));
  g_return_if_fail (pin != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ck_pin_guard_check_async);

  if (self->hash == NULL)
    {
      g_task_return_new_error (task, CK_PIN_ERROR, CK_PIN_ERROR_NO_PIN,
                               _("No staff PIN is set up on this kiosk."));
      return;
    }

  if ((wait_s = ck_pin_guard_get_wait_s (self)) > 0)
    {
      g_task_return_new_error (task, CK_PIN_ERROR, CK_PIN_ERROR_LOCKED,
                               g_dngettext (GETTEXT_PACKAGE, "Too many wrong PINs. Try again in %u second.",
                                            "Too many wrong PINs. Try again in %u seconds.", wait_s),
                               wait_s);
      return;
    }

  /* Counted now, before anything else can happen. */
  ck_pin_limiter_record (&self->limiter, FALSE, g_get_real_time ());
  if (self->store && !ck_store_record_pin_tried (self->store, &error))
    {
      g_task_return_new_error (task, error->domain, error->code,
                               _("The PIN was not checked: the try could not be recorded (%s)."),
                               error->message);
      return;
    }

  if (self->checking)
    {
      g_task_return_new_error (task, CK_PIN_ERROR, CK_PIN_ERROR_BUSY,
                               _("The PIN before is still being checked: this one was not checked, "
                                 "and counts as a wrong one."));
      return;
    }

  set_checking (self, TRUE);
  inner = g_task_new (self, cancellable, check_done, g_steal_pointer (&task));
  g_task_set_source_tag (inner, check_thread);
  /* The answer stands even if the dialog went away meanwhile. */
  g_task_set_check_cancellable (inner, FALSE);
  g_task_set_task_data (inner, g_strdup (pin), (GDestroyNotify)pin_free);
  g_task_run_in_thread (inner, check_thread);
  g_object_unref (inner);
}

/**
 * ck_pin_guard_check_finish:
 * @right: (out): whether the PIN was the right one
 *
 * Returns: %TRUE if the PIN was checked (@right says how it went);
 *   %FALSE with @error if it was not
 */
gboolean
ck_pin_guard_check_finish (CkPinGuard    *self,
                           GAsyncResult  *result,
                           gboolean      *right,
                           GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean value;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (right != NULL, FALSE);

  value = g_task_propagate_boolean (G_TASK (result), &local_error);
  if (local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  *right = value;
  return TRUE;
}
