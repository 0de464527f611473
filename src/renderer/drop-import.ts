import { useEffect, useRef, useState } from 'react';
import { pathsFromText } from './paths';

/**
 * Accepts files and folders dropped anywhere in the window. Besides File
 * objects, a drop may carry paths as text (a path dragged from a terminal)
 * or file:// URIs; those work in browser mode without uploading.
 */
export function useDropImport(onDrop: (files: File[] | null, paths: string[]) => void): boolean {
  const [dragging, setDragging] = useState(false);
  const latest = useRef(onDrop);
  useEffect(() => {
    latest.current = onDrop;
  });
  useEffect(() => {
    let depth = 0;
    const hasPayload = (e: DragEvent) =>
      Boolean(e.dataTransfer && Array.from(e.dataTransfer.types).some((t) => t === 'Files' || t === 'text/uri-list'));
    const onEnter = (e: DragEvent) => {
      if (!hasPayload(e)) return;
      e.preventDefault();
      depth++;
      setDragging(true);
    };
    const onOver = (e: DragEvent) => {
      if (hasPayload(e)) e.preventDefault();
    };
    const onLeave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onDropEvent = (e: DragEvent) => {
      if (!e.dataTransfer) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const files = Array.from(e.dataTransfer.files);
      if (files.length > 0) return latest.current(files, []);
      const paths = pathsFromText(e.dataTransfer.getData('text/uri-list') || e.dataTransfer.getData('text/plain'));
      if (paths.length > 0) latest.current(null, paths);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDropEvent);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDropEvent);
    };
  }, []);
  return dragging;
}
