/* bench-spawn.c: runs a peer tool for a benchmark and tells what it took.
 *
 * Usage: bench-spawn REPORT-FILE COMMAND [ARGUMENT…]
 *
 * A program exec'ed straight from a fork of the benchmark keeps that fork's resident set in
 * its ru_maxrss (Linux records the high-water mark of the image it replaces), so a small tool
 * would show the benchmark's peak as its own. Forked from this small program instead, the
 * command's figures are its own. Once the command has exited, writes
 * "MAXRSS_KB USER_S SYSTEM_S" to REPORT-FILE: its peak resident set and CPU time with those
 * of every process it waited for, as wait4 () tells; then exits as the command did. It
 * ignores SIGTERM, so that when the benchmark stops the process group at its time bound, the
 * command stops and its figures still come; SIGKILL stops it too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define EXIT_SPAWN_FAILED 125

int
main (int    argc,
      char **argv)
{
  pid_t self = getpid ();
  struct rusage usage;
  FILE *report;
  pid_t pid;
  int status = 0;

  if (argc < 3)
    {
      fprintf (stderr, "Usage: %s REPORT-FILE COMMAND [ARGUMENT…]\n", argv[0]);
      return EXIT_SPAWN_FAILED;
    }
  pid = fork ();
  if (pid < 0)
    {
      perror ("fork");
      return EXIT_SPAWN_FAILED;
    }
  if (pid == 0)
    {
      /* Gone with us, as we are with the benchmark. */
      if (prctl (PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid () != self)
        _exit (EXIT_SPAWN_FAILED);
      execvp (argv[2], argv + 2);
      perror (argv[2]);
      _exit (127);
    }
  signal (SIGTERM, SIG_IGN);
  while (wait4 (pid, &status, 0, &usage) < 0)
    if (errno != EINTR)
      {
        perror ("wait4");
        return EXIT_SPAWN_FAILED;
      }

  report = fopen (argv[1], "w");
  if (report == NULL
      || fprintf (report, "%ld %ld.%06ld %ld.%06ld\n", usage.ru_maxrss,
                  (long) usage.ru_utime.tv_sec, (long) usage.ru_utime.tv_usec,
                  (long) usage.ru_stime.tv_sec, (long) usage.ru_stime.tv_usec) < 0
      || fclose (report) != 0)
    {
      perror (argv[1]);
      return EXIT_SPAWN_FAILED;
    }
  if (WIFSIGNALED (status))
    {
      /* Die as it did, so that the benchmark's wait status tells the same. */
      signal (WTERMSIG (status), SIG_DFL);
      raise (WTERMSIG (status));
      return 128 + WTERMSIG (status);
    }
  return WEXITSTATUS (status);
}
