// Host file-system errors in words (strerror(3)'s), for messages a user reads: "no such file or
// directory" rather than ENOENT.

/** What the common errno codes of open(2) and read(2) mean, in the words of strerror(3). */
const ERRNO_WORDS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a component of the path is not a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'the file name is too long',
  ENXIO: 'no such device or address',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
};

/** A file-system error in words ("no such file or directory"), for a user rather than errno. */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code !== undefined && ERRNO_WORDS[code] !== undefined) return ERRNO_WORDS[code];
  return e instanceof Error ? e.message : String(e);
}
