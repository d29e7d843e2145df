// The slice pattern of the app store (zustand docs): each feature contributes a slice creator over the whole state.
import type { StateCreator } from 'zustand';
import type { AppState } from './app-store.ts';

export type SliceCreator<T> = StateCreator<AppState, [], [], T>;
