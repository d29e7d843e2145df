// The open book database for components that write to it (e.g. household notes); provided by the SessionGate.
import { createContext, useContext } from 'react';
import type { BookDatabase } from '../../db/book-db.ts';

export const BookDbContext = createContext<BookDatabase | null>(null);

export function useBookDb(): BookDatabase | null {
  return useContext(BookDbContext);
}
