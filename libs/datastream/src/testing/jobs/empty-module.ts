/** A module that is not a job: neither defineJob nor execute(). */
export const nothing = 0;
