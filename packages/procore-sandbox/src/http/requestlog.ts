import type { NextFunction, Response } from 'express';
import type { SandboxRequest } from './context';

export interface LoggedRequest {
  at: string;
  method: string;
  path: string;
  /** 0 when the connection was reset or abandoned before an answer. */
  status: number;
  companyId: number | null;
  clientId: string | null;
}

/** Request log for tests and benchmarks (counts calls per path/company/app). */
export class RequestLog {
  entries: LoggedRequest[] = [];

  middleware() {
    return (req: SandboxRequest, res: Response, next: NextFunction) => {
      if (req.path.startsWith('/_sandbox')) return next();
      const at = new Date().toISOString();
      let done = false;
      const record = () => {
        if (done) return;
        done = true;
        const header = Number(req.get('procore-company-id'));
        this.entries.push({
          at,
          method: req.method,
          path: req.path,
          status: res.writableFinished ? res.statusCode : 0,
          companyId: req.caller?.access?.companyId ?? (Number.isSafeInteger(header) && header > 0 ? header : null),
          clientId: req.caller?.app.clientId ?? null,
        });
      };
      res.on('finish', record);
      res.on('close', record);
      next();
    };
  }
}
